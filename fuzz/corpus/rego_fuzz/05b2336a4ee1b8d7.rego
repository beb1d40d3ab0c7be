package test
p := regex.replace("-wy-wxxy-", "w(x*)y", "0")
