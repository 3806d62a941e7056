# AWS End User Messaging SMS and Voice v2 resources of 111122223333 in us-east-1.
# Written by `pinpoint-migrate export-iac` from plan plan-cbd81d5ed9052169d01d: read ../README.md before `terraform plan`.

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

variable "phone_b607384ab2293f4806da7ca991a48ab9_help_message" {
  type        = string
  description = "HELP reply of +18335550111"
}

variable "pool_pinpoint_bluebird_retail_help_message" {
  type        = string
  description = "HELP reply of pool pinpoint-bluebird-retail"
}

variable "pool_pinpoint_cobalt_bank_help_message" {
  type        = string
  description = "HELP reply of pool pinpoint-cobalt-bank"
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_acme_clinics" {
  name = "pinpoint-acme-clinics"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "acme"
    tier       = "gold"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_bluebird_retail" {
  name = "pinpoint-bluebird-retail"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "bluebird"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_cobalt_bank" {
  name = "pinpoint-cobalt-bank"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "cobalt"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_delta_logistics" {
  name = "pinpoint-delta-logistics"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "delta"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "acme_voice_events" {
  name = "acme-voice-events"
  tags = {
    managed-by = "pinpoint-migrate"
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "legacy_ivr" {
  name = "legacy-ivr"
  tags = {
    managed-by = "pinpoint-migrate"
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_acme_clinics" {
  name                 = "pinpoint-acme-clinics"
  default_message_type = "TRANSACTIONAL"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "acme"
    tier       = "gold"
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_bluebird_retail" {
  name                 = "pinpoint-bluebird-retail"
  default_message_type = "PROMOTIONAL"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "bluebird"
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_cobalt_bank" {
  name                 = "pinpoint-cobalt-bank"
  default_message_type = "TRANSACTIONAL"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "cobalt"
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_delta_logistics" {
  name                 = "pinpoint-delta-logistics"
  default_message_type = "TRANSACTIONAL"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "delta"
  }
}

resource "aws_pinpointsmsvoicev2_event_destination" "acme_voice_events_voice_failures" {
  configuration_set_name = aws_pinpointsmsvoicev2_configuration_set.acme_voice_events.name
  event_destination_name = "voice-failures"
  enabled                = true
  matching_event_types   = ["VOICE_BUSY", "VOICE_FAILED", "VOICE_NO_ANSWER"]

  sns_destination {
    topic_arn = "arn:aws:sns:us-east-1:111122223333:voice-failures"
  }
}

resource "aws_pinpointsmsvoicev2_event_destination" "legacy_ivr_ivr_dest_2" {
  configuration_set_name = aws_pinpointsmsvoicev2_configuration_set.legacy_ivr.name
  event_destination_name = "ivr-dest-2"
  enabled                = true
  matching_event_types   = ["VOICE_COMPLETED", "VOICE_INITIATED"]

  cloudwatch_logs_destination {
    log_group_arn = "arn:aws:logs:us-east-1:111122223333:log-group:/relay/voice-events"
    iam_role_arn  = "arn:aws:iam::111122223333:role/pinpoint-events-shared"
  }
}

resource "aws_pinpointsmsvoicev2_event_destination" "legacy_ivr_ivr_dest_4" {
  configuration_set_name = aws_pinpointsmsvoicev2_configuration_set.legacy_ivr.name
  event_destination_name = "ivr-dest-4"
  enabled                = true
  matching_event_types   = ["VOICE_COMPLETED", "VOICE_INITIATED"]

  cloudwatch_logs_destination {
    log_group_arn = "arn:aws:logs:us-east-1:111122223333:log-group:/relay/voice-events"
    iam_role_arn  = "arn:aws:iam::111122223333:role/pinpoint-events-shared"
  }
}

resource "aws_pinpointsmsvoicev2_event_destination" "pinpoint_cobalt_bank_cobalt_bank_events" {
  configuration_set_name = aws_pinpointsmsvoicev2_configuration_set.pinpoint_cobalt_bank.name
  event_destination_name = "cobalt-bank-events"
  enabled                = true
  matching_event_types   = ["TEXT_ALL"]

  kinesis_firehose_destination {
    delivery_stream_arn = "arn:aws:firehose:us-east-1:111122223333:deliverystream/cobalt-events"
    iam_role_arn        = "arn:aws:iam::111122223333:role/pinpoint-events-shared"
  }
}

resource "aws_pinpointsmsvoicev2_phone_number" "phone_b607384ab2293f4806da7ca991a48ab9" {
  iso_country_code              = "US"
  message_type                  = "PROMOTIONAL"
  number_type                   = "TOLL_FREE"
  number_capabilities           = ["SMS"]
  opt_out_list_name             = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_bluebird_retail.name
  self_managed_opt_outs_enabled = false
  deletion_protection_enabled   = false

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags]
  }
}

resource "aws_pinpointsmsvoicev2_keyword" "phone_b607384ab2293f4806da7ca991a48ab9_stop" {
  origination_identity = aws_pinpointsmsvoicev2_phone_number.phone_b607384ab2293f4806da7ca991a48ab9.id
  keyword              = "STOP"
  keyword_message      = "Bye"
}

resource "aws_pinpointsmsvoicev2_keyword" "phone_b607384ab2293f4806da7ca991a48ab9_help" {
  origination_identity = aws_pinpointsmsvoicev2_phone_number.phone_b607384ab2293f4806da7ca991a48ab9.id
  keyword              = "HELP"
  keyword_message      = var.phone_b607384ab2293f4806da7ca991a48ab9_help_message
}

resource "aws_pinpointsmsvoicev2_pool" "pinpoint_bluebird_retail" {
  message_type                  = "PROMOTIONAL"
  iso_country_code              = "US"
  origination_identities        = [aws_pinpointsmsvoicev2_phone_number.phone_b607384ab2293f4806da7ca991a48ab9.arn]
  opt_out_list_name             = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_bluebird_retail.name
  deletion_protection_enabled   = false
  self_managed_opt_outs_enabled = false
  two_way_enabled               = false
  tags = {
    Name       = "pinpoint-bluebird-retail"
    managed-by = "pinpoint-migrate"
    tenant     = "bluebird"
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

resource "aws_pinpointsmsvoicev2_pool" "pinpoint_cobalt_bank" {
  message_type     = "TRANSACTIONAL"
  iso_country_code = "US"
  origination_identities = [
    "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-c8aa1d250be8b15999538b59d90aad9c",
  ]
  opt_out_list_name             = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_cobalt_bank.name
  deletion_protection_enabled   = false
  self_managed_opt_outs_enabled = false
  two_way_enabled               = false
  tags = {
    Name       = "pinpoint-cobalt-bank"
    managed-by = "pinpoint-migrate"
    tenant     = "cobalt"
  }
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_cobalt_bank_stop" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_cobalt_bank.id
  keyword              = "STOP"
  keyword_message      = "Bye"
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_cobalt_bank_help" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_cobalt_bank.id
  keyword              = "HELP"
  keyword_message      = var.pool_pinpoint_cobalt_bank_help_message
}

import {
  to = aws_pinpointsmsvoicev2_phone_number.phone_b607384ab2293f4806da7ca991a48ab9
  id = "phone-b607384ab2293f4806da7ca991a48ab9"
}

import {
  to = aws_pinpointsmsvoicev2_keyword.phone_b607384ab2293f4806da7ca991a48ab9_stop
  id = "phone-b607384ab2293f4806da7ca991a48ab9,STOP"
}

import {
  to = aws_pinpointsmsvoicev2_keyword.phone_b607384ab2293f4806da7ca991a48ab9_help
  id = "phone-b607384ab2293f4806da7ca991a48ab9,HELP"
}
