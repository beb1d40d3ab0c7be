{
  "dsseEnvelope": {
    "payload": "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEiLCJwcmVkaWNhdGUiOnsicmVzb3VyY2VzIjpbeyJhbGdvcml0aG0iOiJzaGEyNTYiLCJkaWdlc3QiOiI1ODkxYjViNTIyZDVkZjA4NmQwZmYwYjExMGZiZDlkMjFiYjRmYzcxNjNhZjM0ZDA4Mjg2YTJlODQ2ZjZiZTAzIiwibmFtZSI6ImEudHh0In0seyJhbGdvcml0aG0iOiJzaGEyNTYiLCJkaWdlc3QiOiJlM2IwYzQ0Mjk4ZmMxYzE0OWFmYmY0Yzg5OTZmYjkyNDI3YWU0MWU0NjQ5YjkzNGNhNDk1OTkxYjc4NTJiODU1IiwibmFtZSI6ImVtcHR5In0seyJhbGdvcml0aG0iOiJzaGEyNTYiLCJkaWdlc3QiOiI3YTc0ZDE5ZDM2NzQ0Yjg5OTlmNjgwYTVkZGJjMTU0N2FkZTk5YjQwY2ZkZGUyOTdmMTJkYjEzMmQyNjRmZmFiIiwibmFtZSI6InN1Yi93LmJpbiJ9XSwic2VyaWFsaXphdGlvbiI6eyJhbGxvd19zeW1saW5rcyI6ZmFsc2UsImhhc2hfdHlwZSI6InNoYTI1NiIsImlnbm9yZV9wYXRocyI6WyIuZ2l0IiwiLmdpdGF0dHJpYnV0ZXMiLCIuZ2l0aHViIiwiLmdpdGlnbm9yZSJdLCJtZXRob2QiOiJmaWxlcyJ9fSwicHJlZGljYXRlVHlwZSI6Imh0dHBzOi8vbW9kZWxfc2lnbmluZy9zaWduYXR1cmUvdjEuMCIsInN1YmplY3QiOlt7ImRpZ2VzdCI6eyJzaGEyNTYiOiJhMTU2MjhmMGJiNjlkMDYyYTU4OGQ5Y2Q0NWIxNjBmN2M1MTYxNmExOTNkZTNkYTBiZDQ4ZDA2OTMwMjlmN2E0In0sIm5hbWUiOiJtIn1dfQ==",
    "payloadType": "application/vnd.in-toto+json",
    "signatures": [
      {
        "keyid": "4c3597d2149def3459c19fc57db1d35c1f964ca0b3f9716095301ab7299e07d4",
        "sig": "MGUCMQDWV8UWN8CtJx0kC3NWBlYjbkjgZQEPOY/SwnsYF9JdPAW5Y2v37KI9pjGmbQgDYR8CME7Cluoy+yARS8RcGqaSZJhUcO5MGEdg9gql3nOZoWuC02dyOZYy+TvQZq5g2NRmYw=="
      }
    ]
  },
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {
    "publicKey": {
      "hint": "4c3597d2149def3459c19fc57db1d35c1f964ca0b3f9716095301ab7299e07d4"
    },
    "tlogEntries": []
  }
}
