# METADATA
# description: The Rego test suite
package testing

# METADATA
# title: Testing annotations
# authors:
# - The OPA contributors
p := x {
    x := rego.metadata.chain()
}
