package test

p := uri.parse("https://example.com:8080/api?q=1#top")
