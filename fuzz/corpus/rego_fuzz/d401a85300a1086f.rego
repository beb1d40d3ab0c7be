package test

p = uuid.parse(input.userid)
