# AWS End User Messaging SMS and Voice v2 resources of 111122223333 in eu-west-1.
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
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

variable "phone_fc859acb15a5a8290a4466e59cb176bc_help_message" {
  type        = string
  description = "HELP reply of +447911123456"
}

variable "pool_pinpoint_everest_travel_help_message" {
  type        = string
  description = "HELP reply of pool pinpoint-everest-travel"
}

variable "pool_pinpoint_fjord_energy_help_message" {
  type        = string
  description = "HELP reply of pool pinpoint-fjord-energy"
}

variable "pool_pinpoint_fjord_energy_stop_message" {
  type        = string
  description = "STOP reply of pool pinpoint-fjord-energy"
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_everest_travel" {
  name = "pinpoint-everest-travel"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "everest"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_opt_out_list" "pinpoint_fjord_energy" {
  name = "pinpoint-fjord-energy"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "fjord"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_everest_travel" {
  name                 = "pinpoint-everest-travel"
  default_sender_id    = "EVEREST"
  default_message_type = "TRANSACTIONAL"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "everest"
  }
}

resource "aws_pinpointsmsvoicev2_configuration_set" "pinpoint_fjord_energy" {
  name                 = "pinpoint-fjord-energy"
  default_sender_id    = "FJORDEN"
  default_message_type = "TRANSACTIONAL"
  tags = {
    managed-by = "pinpoint-migrate"
    tenant     = "fjord"
  }
}

resource "aws_pinpointsmsvoicev2_event_destination" "pinpoint_everest_travel_everest_travel_events" {
  configuration_set_name = aws_pinpointsmsvoicev2_configuration_set.pinpoint_everest_travel.name
  event_destination_name = "everest-travel-events"
  enabled                = true
  matching_event_types   = ["TEXT_ALL"]

  kinesis_firehose_destination {
    delivery_stream_arn = "arn:aws:firehose:eu-west-1:111122223333:deliverystream/everest-events"
    iam_role_arn        = "arn:aws:iam::111122223333:role/pinpoint-events-shared"
  }
}

resource "aws_pinpointsmsvoicev2_sender_id" "everest_gb" {
  sender_id                   = "EVEREST"
  iso_country_code            = "GB"
  message_types               = ["TRANSACTIONAL"]
  deletion_protection_enabled = false

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags]
  }
}

resource "aws_pinpointsmsvoicev2_sender_id" "fjorden_in" {
  sender_id                   = "FJORDEN"
  iso_country_code            = "IN"
  message_types               = ["TRANSACTIONAL"]
  deletion_protection_enabled = false

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags]
  }
}

resource "aws_pinpointsmsvoicev2_phone_number" "phone_fc859acb15a5a8290a4466e59cb176bc" {
  iso_country_code              = "GB"
  message_type                  = "TRANSACTIONAL"
  number_type                   = "LONG_CODE"
  number_capabilities           = ["SMS", "VOICE"]
  opt_out_list_name             = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_everest_travel.name
  self_managed_opt_outs_enabled = false
  deletion_protection_enabled   = false

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags]
  }
}

resource "aws_pinpointsmsvoicev2_keyword" "phone_fc859acb15a5a8290a4466e59cb176bc_stop" {
  origination_identity = aws_pinpointsmsvoicev2_phone_number.phone_fc859acb15a5a8290a4466e59cb176bc.id
  keyword              = "STOP"
  keyword_message      = "Bye"
}

resource "aws_pinpointsmsvoicev2_keyword" "phone_fc859acb15a5a8290a4466e59cb176bc_help" {
  origination_identity = aws_pinpointsmsvoicev2_phone_number.phone_fc859acb15a5a8290a4466e59cb176bc.id
  keyword              = "HELP"
  keyword_message      = var.phone_fc859acb15a5a8290a4466e59cb176bc_help_message
}

resource "aws_pinpointsmsvoicev2_pool" "pinpoint_everest_travel" {
  message_type     = "TRANSACTIONAL"
  iso_country_code = "GB"
  origination_identities = [
    aws_pinpointsmsvoicev2_phone_number.phone_fc859acb15a5a8290a4466e59cb176bc.arn,
    aws_pinpointsmsvoicev2_sender_id.everest_gb.arn,
  ]
  opt_out_list_name             = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_everest_travel.name
  deletion_protection_enabled   = false
  self_managed_opt_outs_enabled = false
  two_way_enabled               = false
  tags = {
    Name       = "pinpoint-everest-travel"
    managed-by = "pinpoint-migrate"
    tenant     = "everest"
  }
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_everest_travel_stop" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_everest_travel.id
  keyword              = "STOP"
  keyword_message      = "Bye"
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_everest_travel_help" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_everest_travel.id
  keyword              = "HELP"
  keyword_message      = var.pool_pinpoint_everest_travel_help_message
}

resource "aws_pinpointsmsvoicev2_pool" "pinpoint_fjord_energy" {
  message_type                = "TRANSACTIONAL"
  iso_country_code            = "IN"
  origination_identities      = [aws_pinpointsmsvoicev2_sender_id.fjorden_in.arn]
  opt_out_list_name           = aws_pinpointsmsvoicev2_opt_out_list.pinpoint_fjord_energy.name
  deletion_protection_enabled = false
  tags = {
    Name       = "pinpoint-fjord-energy"
    managed-by = "pinpoint-migrate"
    tenant     = "fjord"
  }
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_fjord_energy_stop" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_fjord_energy.id
  keyword              = "STOP"
  keyword_message      = var.pool_pinpoint_fjord_energy_stop_message
}

resource "aws_pinpointsmsvoicev2_keyword" "pinpoint_fjord_energy_help" {
  origination_identity = aws_pinpointsmsvoicev2_pool.pinpoint_fjord_energy.id
  keyword              = "HELP"
  keyword_message      = var.pool_pinpoint_fjord_energy_help_message
}

import {
  to = aws_pinpointsmsvoicev2_sender_id.everest_gb
  id = "EVEREST,GB"
}

import {
  to = aws_pinpointsmsvoicev2_sender_id.fjorden_in
  id = "FJORDEN,IN"
}

import {
  to = aws_pinpointsmsvoicev2_phone_number.phone_fc859acb15a5a8290a4466e59cb176bc
  id = "phone-fc859acb15a5a8290a4466e59cb176bc"
}

import {
  to = aws_pinpointsmsvoicev2_keyword.phone_fc859acb15a5a8290a4466e59cb176bc_stop
  id = "phone-fc859acb15a5a8290a4466e59cb176bc,STOP"
}

import {
  to = aws_pinpointsmsvoicev2_keyword.phone_fc859acb15a5a8290a4466e59cb176bc_help
  id = "phone-fc859acb15a5a8290a4466e59cb176bc,HELP"
}
