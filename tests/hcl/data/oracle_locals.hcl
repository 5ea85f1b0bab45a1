# The configuration (as main.tf) `terraform console` loads for the function oracle (scripts/gen_function_oracle.py);
# tests/hcl/test_function_oracle.py reads the same locals. Literal strings only.
locals {
  greeting  = "Hello, $${name}!"
  loop      = "%%{ for x in items ~}[$${x}]%%{ endfor ~}"
  condition = "%%{ if on }yes%%{ else }no%%{ endif }"
}
