// tlogcheck verifies custody's log output with Go's own implementation
// (golang.org/x/mod/sumdb/note and sumdb/tlog). It reads one JSON document on
// stdin:
//
//	{"vkey": "NAME+HEX8+BASE64",
//	 "checkpoints": {"SIZE": "signed note", ...},
//	 "inclusion": [{"entry": "base64", "proof": {logIndex, treeSize, hashes, ...}}],
//	 "consistency": [{oldSize, treeSize, hashes, ...}]}
//
// and prints one line per check; it exits 1 if any check fails.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type proof struct {
	LogIndex string   `json:"logIndex"`
	OldSize  string   `json:"oldSize"`
	TreeSize string   `json:"treeSize"`
	Hashes   []string `json:"hashes"`
}

type input struct {
	Vkey        string            `json:"vkey"`
	Checkpoints map[string]string `json:"checkpoints"`
	Inclusion   []struct {
		Entry string `json:"entry"`
		Proof proof  `json:"proof"`
	} `json:"inclusion"`
	Consistency []proof `json:"consistency"`
}

type tree struct {
	size int64
	root tlog.Hash
}

func hashes(in []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(in))
	for i, s := range in {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != 32 {
			return nil, fmt.Errorf("hash %d is not 32 bytes of base64", i)
		}
		copy(out[i][:], b)
	}
	return out, nil
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Println("FAIL reading input:", err)
		os.Exit(2)
	}
	v, err := note.NewVerifier(in.Vkey)
	if err != nil {
		fmt.Println("FAIL verifier key:", err)
		os.Exit(1)
	}
	failed := 0
	fail := func(format string, args ...any) {
		fmt.Printf("FAIL "+format+"\n", args...)
		failed++
	}
	trees := map[int64]tree{}
	for size, text := range in.Checkpoints {
		n, err := note.Open([]byte(text), note.VerifierList(v))
		if err != nil {
			fail("checkpoint %s: note.Open: %v", size, err)
			continue
		}
		lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
		if len(lines) < 3 {
			fail("checkpoint %s: %d lines", size, len(lines))
			continue
		}
		s, err1 := strconv.ParseInt(lines[1], 10, 64)
		r, err2 := base64.StdEncoding.DecodeString(lines[2])
		if err1 != nil || err2 != nil || len(r) != 32 || strconv.FormatInt(s, 10) != size {
			fail("checkpoint %s: malformed body %q", size, n.Text)
			continue
		}
		var t tree
		t.size = s
		copy(t.root[:], r)
		trees[s] = t
	}
	fmt.Printf("ok   %d checkpoints verified by note.Open\n", len(trees))
	passed := 0
	for _, c := range in.Inclusion {
		idx, _ := strconv.ParseInt(c.Proof.LogIndex, 10, 64)
		size, _ := strconv.ParseInt(c.Proof.TreeSize, 10, 64)
		t, ok := trees[size]
		if !ok {
			fail("inclusion %d/%d: no checkpoint of that size", idx, size)
			continue
		}
		entry, err := base64.StdEncoding.DecodeString(c.Entry)
		if err != nil {
			fail("inclusion %d/%d: entry is not base64", idx, size)
			continue
		}
		p, err := hashes(c.Proof.Hashes)
		if err != nil {
			fail("inclusion %d/%d: %v", idx, size, err)
			continue
		}
		if err := tlog.CheckRecord(tlog.RecordProof(p), size, t.root, idx, tlog.RecordHash(entry)); err != nil {
			fail("inclusion %d/%d: tlog.CheckRecord: %v", idx, size, err)
			continue
		}
		// The same proof with one bit changed must fail, or the check proves nothing.
		if len(p) > 0 {
			bad := append([]tlog.Hash(nil), p...)
			bad[0][0] ^= 1
			if tlog.CheckRecord(tlog.RecordProof(bad), size, t.root, idx, tlog.RecordHash(entry)) == nil {
				fail("inclusion %d/%d: a tampered proof was accepted", idx, size)
				continue
			}
		}
		if tlog.CheckRecord(tlog.RecordProof(p), size, t.root, idx, tlog.RecordHash(append(append([]byte(nil), entry...), 'x'))) == nil {
			fail("inclusion %d/%d: another entry was accepted", idx, size)
			continue
		}
		passed++
	}
	fmt.Printf("ok   %d of %d inclusion proofs verified by tlog.CheckRecord\n", passed, len(in.Inclusion))
	passed = 0
	for _, c := range in.Consistency {
		old, _ := strconv.ParseInt(c.OldSize, 10, 64)
		size, _ := strconv.ParseInt(c.TreeSize, 10, 64)
		to, ok1 := trees[old]
		tn, ok2 := trees[size]
		if !ok1 || !ok2 {
			fail("consistency %d->%d: missing checkpoint", old, size)
			continue
		}
		p, err := hashes(c.Hashes)
		if err != nil {
			fail("consistency %d->%d: %v", old, size, err)
			continue
		}
		if err := tlog.CheckTree(tlog.TreeProof(p), size, tn.root, old, to.root); err != nil {
			fail("consistency %d->%d: tlog.CheckTree: %v", old, size, err)
			continue
		}
		if len(p) > 0 {
			bad := append([]tlog.Hash(nil), p...)
			bad[len(bad)-1][5] ^= 1
			if tlog.CheckTree(tlog.TreeProof(bad), size, tn.root, old, to.root) == nil {
				fail("consistency %d->%d: a tampered proof was accepted", old, size)
				continue
			}
		}
		passed++
	}
	fmt.Printf("ok   %d of %d consistency proofs verified by tlog.CheckTree\n", passed, len(in.Consistency))
	if failed > 0 {
		os.Exit(1)
	}
}
