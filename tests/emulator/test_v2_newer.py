"""The newer v2 operations (carrier lookup, Notify, RCS, protect number overrides) answer as AWS does, and
no v2 or v1 operation of botocore's model is left answering 501 (a foreign client retries 501s)."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from migrate.emulator import Emulator
from migrate.emulator.registry import served_operations


@pytest.fixture
def sms(emu: Emulator) -> Any:
    return emu.session().client("pinpoint-sms-voice-v2")


@pytest.mark.parametrize("service", ["pinpoint-sms-voice-v2", "pinpoint-sms-voice"])
def test_every_modelled_operation_is_served(service: str) -> None:
    model = botocore.session.get_session().get_service_model(service)
    assert sorted(set(model.operation_names) - set(served_operations()[service])) == []


def test_carrier_lookup(sms: Any) -> None:
    found = sms.carrier_lookup(PhoneNumber="+447400123456")
    assert found["E164PhoneNumber"] == "+447400123456" and found["IsoCountryCode"] == "GB"
    assert found["PhoneNumberType"] == "MOBILE"
    assert sms.carrier_lookup(PhoneNumber="+1555")["PhoneNumberType"] == "INVALID"


def test_list_available_phone_numbers(sms: Any) -> None:
    found = sms.list_available_phone_numbers(
        IsoCountryCode="US", NumberCapabilities=["SMS"], NumberType="TEN_DLC", MaxResults=3
    )["AvailablePhoneNumbers"]
    assert len(found) == len(set(found)) == 3 and all(n.startswith("+1") for n in found)


def test_notify_configuration_lifecycle(sms: Any) -> None:
    assert sms.describe_notify_configurations().get("NotifyConfigurations", []) == []
    assert sms.describe_notify_templates().get("NotifyTemplates", []) == []
    assert sms.list_notify_countries().get("NotifyCountries", []) == []
    made = sms.create_notify_configuration(
        DisplayName="Acme", UseCase="CODE_VERIFICATION", EnabledChannels=["SMS"]
    )
    assert made["Status"] == "PENDING" and made["Tier"] == "BASIC"
    config_id = made["NotifyConfigurationId"]
    with pytest.raises(sms.exceptions.ConflictException) as err:
        sms.send_notify_text_message(
            NotifyConfigurationId=config_id,
            DestinationPhoneNumber="+12065550100",
            TemplateVariables={"code": "1"},
        )
    assert err.value.response["Reason"] == "NOTIFY_CONFIGURATION_NOT_ACTIVE"
    with pytest.raises(sms.exceptions.ConflictException):
        sms.send_notify_voice_message(
            NotifyConfigurationId=config_id,
            DestinationPhoneNumber="+12065550100",
            TemplateVariables={"code": "1"},
        )
    sms.update_notify_configuration(NotifyConfigurationId=config_id, EnabledCountries=["US"])
    assert sms.describe_notify_configurations()["NotifyConfigurations"][0]["EnabledCountries"] == ["US"]
    sms.delete_notify_configuration(NotifyConfigurationId=config_id)
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.describe_notify_configurations(NotifyConfigurationIds=[config_id])


def test_rcs_agent_lifecycle(sms: Any) -> None:
    assert sms.describe_rcs_agents().get("RcsAgents", []) == []
    agent = sms.create_rcs_agent()
    assert agent["Status"] == "CREATED" and agent["OptOutListName"] == "Default"
    agent_id = agent["RcsAgentId"]
    assert (
        sms.describe_rcs_agent_country_launch_status(RcsAgentId=agent_id).get("CountryLaunchStatus", []) == []
    )
    with pytest.raises(sms.exceptions.ConflictException):
        sms.send_rcs_message(DestinationPhoneNumber="+12065550100", OriginationIdentity=agent_id)
    sms.update_rcs_agent(RcsAgentId=agent_id, DeletionProtectionEnabled=True)
    with pytest.raises(sms.exceptions.ConflictException):
        sms.delete_rcs_agent(RcsAgentId=agent_id)
    sms.update_rcs_agent(RcsAgentId=agent_id, DeletionProtectionEnabled=False)
    assert sms.delete_rcs_agent(RcsAgentId=agent_id)["Status"] == "DELETED"
    assert sms.set_rcs_message_spend_limit_override(MonthlyLimit=10)["MonthlyLimit"] == 10
    assert sms.delete_rcs_message_spend_limit_override()["MonthlyLimit"] == 10


def _approve(emu: Emulator, table: str, key: str, status: str) -> None:
    """What AWS does out of band (a Notify configuration approved, an RCS agent launched by carriers)."""
    name = next(n for n in emu.world.table_names() if n.endswith(f":{table}"))
    record = dict(emu.world.table(name).get(key))
    emu.world.table(name).put(key, {**record, "Status": status})
    emu.world.commit()


def test_an_approved_notify_configuration_and_a_launched_rcs_agent_send(emu: Emulator, sms: Any) -> None:
    config_id = sms.create_notify_configuration(
        DisplayName="Acme", UseCase="CODE_VERIFICATION", EnabledChannels=["SMS", "VOICE"]
    )["NotifyConfigurationId"]
    _approve(emu, "notify_configurations", config_id, "ACTIVE")
    send = {"NotifyConfigurationId": config_id, "DestinationPhoneNumber": "+12065550100"}
    assert sms.send_notify_text_message(**send, TemplateVariables={"code": "1"})["MessageId"]
    assert sms.send_notify_voice_message(**send, TemplateVariables={"code": "1"})["MessageId"]

    sms.create_opt_out_list(OptOutListName="agents")
    sms.put_opted_out_number(OptOutListName="agents", OptedOutNumber="+12065550101")
    agent_id = sms.create_rcs_agent(OptOutListName="agents")["RcsAgentId"]
    _approve(emu, "rcs_agents", agent_id, "ACTIVE")
    assert sms.send_rcs_message(DestinationPhoneNumber="+12065550100", OriginationIdentity=agent_id)["MessageId"]
    with pytest.raises(sms.exceptions.ConflictException) as err:  # its own list, as a phone number's
        sms.send_rcs_message(DestinationPhoneNumber="+12065550101", OriginationIdentity=agent_id)
    assert err.value.response["Reason"] == "DESTINATION_PHONE_NUMBER_OPTED_OUT"


def test_protect_number_overrides(sms: Any) -> None:
    protect = sms.create_protect_configuration()["ProtectConfigurationId"]
    sms.put_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=protect, DestinationPhoneNumber="+447400123456", Action="BLOCK"
    )
    listed = sms.list_protect_configuration_rule_set_number_overrides(ProtectConfigurationId=protect)
    assert [
        (o["DestinationPhoneNumber"], o["Action"], o["IsoCountryCode"])
        for o in listed["RuleSetNumberOverrides"]
    ] == [("+447400123456", "BLOCK", "GB")]
    sms.delete_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=protect, DestinationPhoneNumber="+447400123456"
    )
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.delete_protect_configuration_rule_set_number_override(
            ProtectConfigurationId=protect, DestinationPhoneNumber="+447400123456"
        )
