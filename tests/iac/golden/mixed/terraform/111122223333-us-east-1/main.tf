# AWS End User Messaging SMS and Voice v2 resources of 111122223333 in us-east-1.
# Written by `pinpoint-migrate export-iac` from plan plan-1a583031d11801cfd7f8: read ../README.md before `terraform plan`.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.62.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

variable "pool_pinpoint_bluebird_retail_help_message" {
  type        = string
  description = "HELP reply of pool pinpoint-bluebird-retail"
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_acme_clinics" {
  name = "pinpoint-acme-clinics"
  tags = {
    "pinpoint-migrate:contents" = "8176d4bf2c6cefdeb5fc630e848d798de414defbfe6963a3a6a2ad6f4eca841f"
    team                        = "sms"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_bluebird_retail" {
  name = "pinpoint-bluebird-retail"
  tags = {
    managed-by = "pinpoint-migrate"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_cobalt_bank" {
  name = "pinpoint-cobalt-bank"
  tags = {
    managed-by = "pinpoint-migrate"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_delta_logistics" {
  name = "pinpoint-delta-logistics"
  tags = {
    managed-by = "pinpoint-migrate"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_acme_clinics" {
  name                 = "pinpoint-acme-clinics"
  default_sender_id    = "ACME"
  default_message_type = "TRANSACTIONAL"
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_bluebird_retail" {
  name                 = "pinpoint-bluebird-retail"
  default_message_type = "TRANSACTIONAL"
  tags = {
    managed-by = "pinpoint-migrate"
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_cobalt_bank" {
  name                 = "pinpoint-cobalt-bank"
  default_message_type = "TRANSACTIONAL"
  tags = {
    managed-by = "pinpoint-migrate"
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_delta_logistics" {
  name                 = "pinpoint-delta-logistics"
  default_message_type = "TRANSACTIONAL"
  tags = {
    managed-by = "pinpoint-migrate"
  }
}

resource "aws_pinpointsmsvoicev2_event_destination" "pinpoint_acme_clinics_acme_clinics_events" {
  configuration_set_name = aws_pinpointsmsvoicev2_configuration_set.pinpoint_acme_clinics.name
  event_destination_name = "acme-clinics-events"
  enabled                = true
  matching_event_types   = ["TEXT_ALL"]

  kinesis_firehose_destination {
    delivery_stream_arn = "arn:aws:firehose:us-east-1:111122223333:deliverystream/acme-events"
    iam_role_arn        = "arn:aws:iam::111122223333:role/acme-events"
  }
}

resource "aws_pinpointsmsvoicev2_sender_id" "acme_us" {
  sender_id                   = "ACME"
  iso_country_code            = "US"
  message_types               = ["TRANSACTIONAL"]
  deletion_protection_enabled = false

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags]
  }
}

resource "aws_pinpointsmsvoicev2_phone_number" "phone_e5aeb733f188fdcf23277820f35fd475" {
  iso_country_code              = "US"
  message_type                  = "TRANSACTIONAL"
  number_type                   = "TEN_DLC"
  number_capabilities           = ["SMS", "VOICE"]
  opt_out_list_name             = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_acme_clinics.name
  self_managed_opt_outs_enabled = false
  deletion_protection_enabled   = false

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags]
  }
}

resource "aws_pinpointsmsvoicev2_keyword" "phone_e5aeb733f188fdcf23277820f35fd475_stop" {
  origination_identity = aws_pinpointsmsvoicev2_phone_number.phone_e5aeb733f188fdcf23277820f35fd475.id
  keyword              = "STOP"
  keyword_message      = "Acme: you will get no more messages"
}

resource "aws_pinpointsmsvoicev2_keyword" "phone_e5aeb733f188fdcf23277820f35fd475_help" {
  origination_identity = aws_pinpointsmsvoicev2_phone_number.phone_e5aeb733f188fdcf23277820f35fd475.id
  keyword              = "HELP"
  keyword_message      = "Acme: call 555-0100"
}

resource "aws_pinpointsmsvoicev2_keyword" "phone_e5aeb733f188fdcf23277820f35fd475_join" {
  origination_identity = aws_pinpointsmsvoicev2_phone_number.phone_e5aeb733f188fdcf23277820f35fd475.id
  keyword              = "JOIN"
  keyword_message      = "Welcome back"
  keyword_action       = "OPT_IN"
}

resource "aws_pinpointsmsvoicev2_pool" "pinpoint_acme_clinics" {
  message_type     = "TRANSACTIONAL"
  iso_country_code = "US"
  origination_identities = [
    aws_pinpointsmsvoicev2_phone_number.phone_e5aeb733f188fdcf23277820f35fd475.arn,
    aws_pinpointsmsvoicev2_sender_id.acme_us.arn,
  ]
  opt_out_list_name             = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_acme_clinics.name
  deletion_protection_enabled   = false
  self_managed_opt_outs_enabled = false
  two_way_enabled               = false
  tags = {
    Name       = "pinpoint-acme-clinics"
    managed-by = "pinpoint-migrate"
    tenant     = "acme"
  }
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_acme_clinics_stop" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_acme_clinics.id
  keyword              = "STOP"
  keyword_message      = "Acme: you will get no more messages"
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_acme_clinics_help" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_acme_clinics.id
  keyword              = "HELP"
  keyword_message      = "Acme: call 555-0100"
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_acme_clinics_join" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_acme_clinics.id
  keyword              = "JOIN"
  keyword_message      = "Welcome back"
  keyword_action       = "OPT_IN"
}

resource "aws_pinpointsmsvoicev2_pool" "pinpoint_bluebird_retail" {
  message_type     = "TRANSACTIONAL"
  iso_country_code = "US"
  origination_identities = [
    "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-c8aa1d250be8b15999538b59d90aad9c",
  ]
  opt_out_list_name             = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_bluebird_retail.name
  deletion_protection_enabled   = false
  self_managed_opt_outs_enabled = false
  two_way_enabled               = false
  tags = {
    Name       = "pinpoint-bluebird-retail"
    managed-by = "pinpoint-migrate"
  }
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_bluebird_retail_stop" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_bluebird_retail.id
  keyword              = "STOP"
  keyword_message      = "Bye"
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_bluebird_retail_help" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_bluebird_retail.id
  keyword              = "HELP"
  keyword_message      = var.pool_pinpoint_bluebird_retail_help_message
}

import {
  to = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_acme_clinics
  id = "pinpoint-acme-clinics"
}

import {
  to = aws_pinpointsmsvoicev2_configuration_set.pinpoint_acme_clinics
  id = "pinpoint-acme-clinics"
}

import {
  to = aws_pinpointsmsvoicev2_sender_id.acme_us
  id = "ACME,US"
}

import {
  to = aws_pinpointsmsvoicev2_phone_number.phone_e5aeb733f188fdcf23277820f35fd475
  id = "phone-e5aeb733f188fdcf23277820f35fd475"
}

import {
  to = aws_pinpointsmsvoicev2_keyword.phone_e5aeb733f188fdcf23277820f35fd475_stop
  id = "phone-e5aeb733f188fdcf23277820f35fd475,STOP"
}

import {
  to = aws_pinpointsmsvoicev2_keyword.phone_e5aeb733f188fdcf23277820f35fd475_help
  id = "phone-e5aeb733f188fdcf23277820f35fd475,HELP"
}

import {
  to = aws_pinpointsmsvoicev2_keyword.phone_e5aeb733f188fdcf23277820f35fd475_join
  id = "phone-e5aeb733f188fdcf23277820f35fd475,JOIN"
}
