"""v2 protect configurations: lifecycle, account default, what blocks deletion, country rule sets."""

from __future__ import annotations

from typing import Any

import pytest

from migrate.emulator import Emulator


@pytest.fixture
def sms(emu: Emulator) -> Any:
    return emu.session("us-east-1").client("pinpoint-sms-voice-v2")


def test_create_describe_update_with_filters_and_paging(emu: Emulator, sms: Any) -> None:
    assert "ProtectConfigurations" not in sms.describe_protect_configurations()  # the list has min 1
    made = sms.create_protect_configuration(
        Tags=[{"Key": "k", "Value": "v"}], ClientToken="pc-1", DeletionProtectionEnabled=True
    )
    assert made["ProtectConfigurationId"].startswith("protect-")
    assert made["ProtectConfigurationArn"].endswith(
        f":protect-configuration/{made['ProtectConfigurationId']}"
    )
    assert made["AccountDefault"] is False and made["DeletionProtectionEnabled"] is True
    replayed = sms.create_protect_configuration(ClientToken="pc-1")
    assert replayed["ProtectConfigurationId"] == made["ProtectConfigurationId"]
    other = sms.create_protect_configuration()
    third = sms.create_protect_configuration()

    page1 = sms.describe_protect_configurations(MaxResults=2)
    page2 = sms.describe_protect_configurations(MaxResults=2, NextToken=page1["NextToken"])
    ids = [
        p["ProtectConfigurationId"] for p in page1["ProtectConfigurations"] + page2["ProtectConfigurations"]
    ]
    assert ids == [
        made["ProtectConfigurationId"],
        other["ProtectConfigurationId"],
        third["ProtectConfigurationId"],
    ]
    assert "NextToken" not in page2

    protected = sms.describe_protect_configurations(
        Filters=[{"Name": "deletion-protection-enabled", "Values": ["true"]}]
    )["ProtectConfigurations"]
    assert [p["ProtectConfigurationId"] for p in protected] == [made["ProtectConfigurationId"]]
    updated = sms.update_protect_configuration(
        ProtectConfigurationId=made["ProtectConfigurationArn"], DeletionProtectionEnabled=False
    )
    assert updated["DeletionProtectionEnabled"] is False
    by_id = sms.describe_protect_configurations(ProtectConfigurationIds=[other["ProtectConfigurationId"]])
    assert by_id["ProtectConfigurations"][0]["ProtectConfigurationId"] == other["ProtectConfigurationId"]
    with pytest.raises(sms.exceptions.ResourceNotFoundException) as err:
        sms.describe_protect_configurations(ProtectConfigurationIds=["protect-0000"])
    assert err.value.response["ResourceType"] == "protect-configuration"
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.update_protect_configuration(
            ProtectConfigurationId="protect-0000", DeletionProtectionEnabled=True
        )


def test_quota(emu: Emulator, sms: Any) -> None:
    emu.quotas.resource["PROTECT_CONFIGURATIONS"] = 1
    sms.create_protect_configuration()
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException) as err:
        sms.create_protect_configuration()
    assert err.value.response["Reason"] == "PROTECT_CONFIGURATIONS_PER_ACCOUNT"


def test_account_default_and_what_blocks_deletion(sms: Any) -> None:
    pc = sms.create_protect_configuration(DeletionProtectionEnabled=True)["ProtectConfigurationId"]
    with pytest.raises(sms.exceptions.ConflictException) as guarded:
        sms.delete_protect_configuration(ProtectConfigurationId=pc)
    assert guarded.value.response["Reason"] == "DELETION_PROTECTION_ENABLED"
    sms.update_protect_configuration(ProtectConfigurationId=pc, DeletionProtectionEnabled=False)

    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.delete_account_default_protect_configuration()  # there is no default yet
    made_default = sms.set_account_default_protect_configuration(ProtectConfigurationId=pc)
    assert made_default["DefaultProtectConfigurationId"] == pc
    assert sms.describe_protect_configurations()["ProtectConfigurations"][0]["AccountDefault"] is True
    defaults = sms.describe_protect_configurations(Filters=[{"Name": "account-default", "Values": ["true"]}])
    assert [p["ProtectConfigurationId"] for p in defaults["ProtectConfigurations"]] == [pc]
    attributes = {a["Name"]: a["Value"] for a in sms.describe_account_attributes()["AccountAttributes"]}
    assert attributes["DEFAULT_PROTECT_CONFIGURATION_ID"] == pc
    with pytest.raises(sms.exceptions.ConflictException) as is_default:
        sms.delete_protect_configuration(ProtectConfigurationId=pc)
    assert is_default.value.response["Reason"] == "PROTECT_CONFIGURATION_IS_ACCOUNT_DEFAULT"
    removed = sms.delete_account_default_protect_configuration()
    assert removed["DefaultProtectConfigurationId"] == pc

    sms.create_configuration_set(ConfigurationSetName="t")
    sms.associate_protect_configuration(ConfigurationSetName="t", ProtectConfigurationId=pc)
    with pytest.raises(sms.exceptions.ConflictException) as in_use:
        sms.delete_protect_configuration(ProtectConfigurationId=pc)
    assert in_use.value.response["Reason"] == "PROTECT_CONFIGURATION_ASSOCIATED_WITH_CONFIGURATION_SET"
    sms.disassociate_protect_configuration(ConfigurationSetName="t", ProtectConfigurationId=pc)
    deleted = sms.delete_protect_configuration(ProtectConfigurationId=pc)
    assert deleted["ProtectConfigurationId"] == pc and deleted["AccountDefault"] is False
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.delete_protect_configuration(ProtectConfigurationId=pc)
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.set_account_default_protect_configuration(ProtectConfigurationId=pc)


def test_country_rule_sets(sms: Any) -> None:
    pc = sms.create_protect_configuration()["ProtectConfigurationId"]
    sms_rules = sms.get_protect_configuration_country_rule_set(
        ProtectConfigurationId=pc, NumberCapability="SMS"
    )
    assert sms_rules["NumberCapability"] == "SMS"
    rules = sms_rules["CountryRuleSet"]
    assert len(rules) > 200 and {r["ProtectStatus"] for r in rules.values()} == {"ALLOW"}
    changed = sms.update_protect_configuration_country_rule_set(
        ProtectConfigurationId=pc,
        NumberCapability="SMS",
        CountryRuleSetUpdates={"CN": {"ProtectStatus": "BLOCK"}, "US": {"ProtectStatus": "MONITOR"}},
    )["CountryRuleSet"]
    assert changed["CN"] == {"ProtectStatus": "BLOCK"} and changed["US"] == {"ProtectStatus": "MONITOR"}
    again = sms.get_protect_configuration_country_rule_set(ProtectConfigurationId=pc, NumberCapability="SMS")
    assert again["CountryRuleSet"]["CN"]["ProtectStatus"] == "BLOCK"
    voice = sms.get_protect_configuration_country_rule_set(
        ProtectConfigurationId=pc, NumberCapability="VOICE"
    )
    assert voice["CountryRuleSet"]["CN"]["ProtectStatus"] == "ALLOW"  # updates apply to one capability only
    with pytest.raises(sms.exceptions.ValidationException) as err:
        sms.update_protect_configuration_country_rule_set(
            ProtectConfigurationId=pc,
            NumberCapability="SMS",
            CountryRuleSetUpdates={"ZZ": {"ProtectStatus": "BLOCK"}},
        )
    assert err.value.response["Reason"] == "INVALID_PARAMETER"
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.get_protect_configuration_country_rule_set(
            ProtectConfigurationId="protect-0", NumberCapability="SMS"
        )
