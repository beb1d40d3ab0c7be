{
  "dsseEnvelope": {
    "payload": "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEiLCJwcmVkaWNhdGUiOnsicmVzb3VyY2VzIjpbeyJhbGdvcml0aG0iOiJzaGEyNTYiLCJkaWdlc3QiOiI1ODkxYjViNTIyZDVkZjA4NmQwZmYwYjExMGZiZDlkMjFiYjRmYzcxNjNhZjM0ZDA4Mjg2YTJlODQ2ZjZiZTAzIiwibmFtZSI6ImEudHh0OjA6NiJ9LHsiYWxnb3JpdGhtIjoic2hhMjU2IiwiZGlnZXN0IjoiZTIyMzgwMTFhYzRmNjE0NGQ3ZWNjMmJkM2E5N2RjZGU1ZWRiMmEyYWE5MTVjNzcyZDk3NDIxNGYxYTRiZWQyNCIsIm5hbWUiOiJzdWIvdy5iaW46MDoxMDI0In0seyJhbGdvcml0aG0iOiJzaGEyNTYiLCJkaWdlc3QiOiJmMTgyNjk3YmYxYjk2NWYyODY3ZTdlMDI5MjFiZTI0MzlkYzdkMTE1NGRjOTgwMDcxYTZkNzgyNmQwY2ZiNDgyIiwibmFtZSI6InN1Yi93LmJpbjoxMDI0OjIwNDgifSx7ImFsZ29yaXRobSI6InNoYTI1NiIsImRpZ2VzdCI6IjNmYjRmYzU1Y2NmNmU0YjYwOWQxMTg5YjA1OGIyNzhiMDAyZGViOWVjMDQxNDE5Y2E4MTM5ZjYyMTgzMDI4YmUiLCJuYW1lIjoic3ViL3cuYmluOjIwNDg6MzAwMCJ9XSwic2VyaWFsaXphdGlvbiI6eyJhbGxvd19zeW1saW5rcyI6ZmFsc2UsImhhc2hfdHlwZSI6InNoYTI1NiIsImlnbm9yZV9wYXRocyI6WyIuZ2l0IiwiLmdpdGF0dHJpYnV0ZXMiLCIuZ2l0aHViIiwiLmdpdGlnbm9yZSJdLCJtZXRob2QiOiJzaGFyZHMiLCJzaGFyZF9zaXplIjoxMDI0fX0sInByZWRpY2F0ZVR5cGUiOiJodHRwczovL21vZGVsX3NpZ25pbmcvc2lnbmF0dXJlL3YxLjAiLCJzdWJqZWN0IjpbeyJkaWdlc3QiOnsic2hhMjU2IjoiNjYwMGE0YzE0NTlkMDk3ZjY5OTk2MTAzNjRkNzgzNzAyMTBjZWU5N2I5OWRjNGU4NWY2NmY2OWQ2ZTgxZjQ0YyJ9LCJuYW1lIjoibSJ9XX0=",
    "payloadType": "application/vnd.in-toto+json",
    "signatures": [
      {
        "keyid": "039cd3fc0d0f52c20ffc3d8deebe631a221d86706dfe3c6552ae0201598ef980",
        "sig": "MEQCIHKDn7QFOoTyngILDEaWdyWe33eSF6BEPTurihdWqgx+AiBoPXJBQ0QPPlI1v01LPDGX7XVglJcHBwnXr6bdvcrkQg=="
      }
    ]
  },
  "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial": {
    "publicKey": {
      "hint": "039cd3fc0d0f52c20ffc3d8deebe631a221d86706dfe3c6552ae0201598ef980"
    },
    "tlogEntries": []
  }
}
