"""Export a plan's desired v2 state as CloudFormation or Terraform (`export-iac`)."""
