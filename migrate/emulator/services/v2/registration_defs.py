"""The registration forms the emulated v2 service knows: types, sections and fields, as data.

AWS serves these forms at run time (DescribeRegistrationTypeDefinitions and friends) and has dozens of
them; the emulator carries the four a Pinpoint migration meets: the US 10DLC brand and campaign, US
toll-free verification, and India's sender ID registration (a country that will not deliver from an
unregistered sender ID). Field paths, option values and association behaviours follow AWS's published
forms and examples; each form carries a representative subset of its fields, not every one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migrate.emulator.errors import validation

# The pattern AWS puts on free-text fields: anything that is not only whitespace.
NOT_BLANK = r"^(?=\s*\S)[\s\S]+$"
COUNTRY = r"^[A-Z]{2}$"
E164 = r"^\+[1-9][0-9]{1,14}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
URL = r"^https?://\S+$"
DOCS = "https://docs.aws.amazon.com/sms-voice/latest/userguide/"


@dataclass(frozen=True)
class FieldDef:
    path: str
    kind: str  # TEXT | SELECT | ATTACHMENT
    requirement: str  # REQUIRED | CONDITIONAL | OPTIONAL
    title: str
    description: str
    min_length: int = 1
    max_length: int = 100
    pattern: str = NOT_BLANK
    options: tuple[str, ...] = ()
    max_choices: int = 1
    example: str | None = None
    # For CONDITIONAL fields: required when the field at this path holds one of these values.
    required_when: tuple[str, tuple[str, ...]] | None = None

    @property
    def section(self) -> str:
        return self.path.split(".", 1)[0]

    def describe(self) -> dict[str, Any]:
        """The field as DescribeRegistrationFieldDefinitions returns it."""
        hints: dict[str, Any] = {"Title": self.title, "ShortDescription": self.description}
        out: dict[str, Any] = {
            "SectionPath": self.section,
            "FieldPath": self.path,
            "FieldType": self.kind,
            "FieldRequirement": self.requirement,
            "DisplayHints": hints,
        }
        if self.kind == "TEXT":
            out["TextValidation"] = {
                "MinLength": self.min_length,
                "MaxLength": self.max_length,
                "Pattern": self.pattern,
            }
            if self.example:
                hints["ExampleTextValue"] = self.example
        if self.kind == "SELECT":
            out["SelectValidation"] = {
                "MinChoices": 1,
                "MaxChoices": self.max_choices,
                "Options": list(self.options),
            }
        if self.required_when:
            depends_on, values = self.required_when
            out["ConditionalBehavior"] = {
                "Rules": [
                    {
                        "Conditions": [
                            {"DependsOnFieldPath": depends_on, "Operator": "EQUALS", "Values": list(values)}
                        ],
                        "RuleBehavior": "REQUIRED",
                    }
                ],
                "DefaultBehavior": "OPTIONAL",
            }
        return out


@dataclass(frozen=True)
class TypeDef:
    name: str
    title: str
    description: str
    link: str
    sections: tuple[tuple[str, str, str], ...]  # (path, title, description)
    fields: tuple[FieldDef, ...]
    associations: tuple[dict[str, str], ...] = field(default_factory=tuple)

    def field(self, path: str) -> FieldDef:
        for item in self.fields:
            if item.path == path:
                return item
        raise validation(
            f"{path} is not a field of {self.name}",
            "UNKNOWN_REGISTRATION_FIELD",
            [{"Name": "FieldPath", "Message": f"unknown field {path}"}],
        )

    def section_paths(self) -> list[str]:
        return [path for path, _title, _desc in self.sections]

    def association(self, resource_type: str) -> dict[str, str] | None:
        return next((a for a in self.associations if a["ResourceType"] == resource_type), None)

    def describe(self) -> dict[str, Any]:
        return {
            "RegistrationType": self.name,
            "SupportedAssociations": [dict(a) for a in self.associations],
            "DisplayHints": {
                "Title": self.title,
                "ShortDescription": self.description,
                "DocumentationTitle": self.title,
                "DocumentationLink": self.link,
            },
        }


def _text(path: str, req: str, title: str, desc: str, **kw: Any) -> FieldDef:
    return FieldDef(path, "TEXT", req, title, desc, **kw)


def _select(path: str, req: str, title: str, desc: str, options: tuple[str, ...], **kw: Any) -> FieldDef:
    return FieldDef(path, "SELECT", req, title, desc, options=options, **kw)


def _attachment(path: str, req: str, title: str, desc: str) -> FieldDef:
    return FieldDef(path, "ATTACHMENT", req, title, desc)


R, C, OPT = "REQUIRED", "CONDITIONAL", "OPTIONAL"
YES_NO = ("Yes", "No")
VERTICALS = (
    "AGRICULTURE", "COMMUNICATION", "CONSTRUCTION", "EDUCATION", "ENERGY", "ENTERTAINMENT", "FINANCIAL",
    "GAMBLING", "GOVERNMENT", "HEALTHCARE", "HOSPITALITY", "HUMAN_RESOURCES", "INSURANCE", "LEGAL",
    "MANUFACTURING", "NGO", "POLITICAL", "POSTAL", "PROFESSIONAL", "REAL_ESTATE", "RETAIL", "TECHNOLOGY",
    "TRANSPORTATION",
)  # fmt: skip
MONTHLY_VOLUMES = (
    "10", "100", "1,000", "10,000", "100,000", "250,000", "500,000", "750,000", "1,000,000", "5,000,000",
    "10,000,000+",
)  # fmt: skip
PUBLIC = ("companyInfo.legalType", ("PUBLIC_PROFIT",))

TEN_DLC_BRAND = TypeDef(
    "US_TEN_DLC_BRAND_REGISTRATION",
    "US 10DLC brand registration",
    "Register your company with The Campaign Registry before you register 10DLC campaigns.",
    DOCS + "registrations-10dlc-company.html",
    (
        ("companyInfo", "Company information", "The legal entity that sends the messages."),
        ("contactInfo", "Contact information", "How recipients and carriers reach the brand."),
    ),
    (
        _text("companyInfo.companyName", R, "Company name", "Legal name your company is registered under.",
              example="Example Corp"),
        _select("companyInfo.legalType", R, "Legal form of organization", "How the company is organised.",
                ("PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT")),
        _text("companyInfo.taxIdIssuingCountry", R, "Tax ID issuing country", "ISO country of the tax ID.",
              min_length=2, max_length=2, pattern=COUNTRY, example="US"),
        _text("companyInfo.taxId", R, "Tax ID", "The company's tax ID, such as a US EIN.", max_length=21,
              example="12-3456789"),
        _text("companyInfo.stockSymbol", C, "Stock symbol", "Ticker of a publicly traded company.",
              max_length=10, required_when=PUBLIC),
        _select("companyInfo.stockExchange", C, "Stock exchange", "Where the company is listed.",
                ("NASDAQ", "NYSE", "AMEX", "TSX", "LON", "OTHER"), required_when=PUBLIC),
        _text("companyInfo.businessContactEmail", C, "Business contact email",
              "Receives The Campaign Registry's two-factor authentication email.", pattern=EMAIL,
              required_when=PUBLIC),
        _text("companyInfo.address", R, "Address", "Street address of the company."),
        _text("companyInfo.city", R, "City", "City of the company's address."),
        _text("companyInfo.state", R, "State", "State or province of the company's address."),
        _text("companyInfo.zipCode", R, "Zip code", "Postal code of the company's address.", max_length=10),
        _text("companyInfo.isoCountryCode", R, "Country", "ISO country of the company's address.",
              min_length=2, max_length=2, pattern=COUNTRY),
        _text("contactInfo.dbaName", OPT, "DBA or brand name", "The name recipients know the company by."),
        _select("contactInfo.vertical", R, "Vertical", "The company's industry.", VERTICALS),
        _text("contactInfo.website", R, "Website", "The company's public website.", max_length=100,
              pattern=URL),
        _text("contactInfo.supportEmail", R, "Support email", "Where recipients get help.", pattern=EMAIL),
        _text("contactInfo.supportPhoneNumber", R, "Support phone number", "E.164 support number.",
              max_length=16, pattern=E164),
    ),
)  # fmt: skip

TEN_DLC_CAMPAIGN = TypeDef(
    "US_TEN_DLC_CAMPAIGN_REGISTRATION",
    "US 10DLC campaign registration",
    "Register a messaging use case of a registered brand; 10DLC numbers are bought for a campaign.",
    DOCS + "registrations-10dlc-campaign.html",
    (
        ("campaignInfo", "Campaign information", "What the campaign sends and how recipients opt in."),
        ("campaignCapabilities", "Campaign capabilities", "Channels and message type of the campaign."),
        ("campaignUseCase", "Campaign use case", "The use case carriers vet the campaign against."),
        ("messageSamples", "Message samples", "Examples of the messages the campaign sends."),
    ),
    (
        _text("campaignInfo.campaignName", R, "Campaign name", "A name for the campaign."),
        _select("campaignInfo.vertical", R, "Vertical", "The campaign's industry.", VERTICALS),
        _text("campaignInfo.termsAndConditionsLink", OPT, "Terms and conditions link", "URL of the terms.",
              pattern=URL),
        _text("campaignInfo.privacyPolicyLink", OPT, "Privacy policy link", "URL of the privacy policy.",
              pattern=URL),
        _text("campaignInfo.optInWorkflow", R, "Opt-in workflow", "How recipients consent to messages.",
              min_length=40, max_length=2048),
        _attachment("campaignInfo.optInScreenshot", OPT, "Opt-in screenshot", "Image of the opt-in form."),
        _text("campaignInfo.helpMessage", R, "Help message", "The answer to HELP.", max_length=255),
        _text("campaignInfo.stopMessage", R, "Stop message", "The answer to STOP.", max_length=255),
        _select("campaignCapabilities.numberCapabilities", R, "Number capabilities", "Channels used.",
                ("SMS", "VOICE", "MMS"), max_choices=3),
        _select("campaignCapabilities.messageType", R, "Message type", "Transactional or promotional.",
                ("TRANSACTIONAL", "PROMOTIONAL")),
        _select("campaignUseCase.useCase", R, "Use case", "The campaign's registered use case.",
                ("TWO_FACTOR_AUTHENTICATION", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION",
                 "FRAUD_ALERT", "HIGHER_EDUCATION", "LOW_VOLUME", "MARKETING", "MIXED", "POLLING_VOTING",
                 "PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT")),
        _select("campaignUseCase.subscriberOptIn", R, "Subscriber opt-in", "Recipients opt in.", YES_NO),
        _select("campaignUseCase.subscriberOptOut", R, "Subscriber opt-out", "Recipients can opt out.",
                YES_NO),
        _select("campaignUseCase.subscriberHelp", R, "Subscriber help", "Recipients can ask for help.",
                YES_NO),
        _select("campaignUseCase.embeddedLink", R, "Embedded link", "Messages contain links.", YES_NO),
        _text("campaignUseCase.embeddedLinkSample", C, "Embedded link sample", "An example of the links.",
              pattern=URL, required_when=("campaignUseCase.embeddedLink", ("Yes",))),
        _text("messageSamples.messageSample1", R, "Message sample 1", "A message the campaign sends.",
              min_length=20, max_length=1024),
        _text("messageSamples.messageSample2", OPT, "Message sample 2", "Another message.", min_length=20,
              max_length=1024),
    ),
    (
        {"ResourceType": "US_TEN_DLC_BRAND_REGISTRATION", "IsoCountryCode": "US",
         "AssociationBehavior": "ASSOCIATE_BEFORE_SUBMIT",
         "DisassociationBehavior": "DELETE_REGISTRATION_DISASSOCIATES"},
        {"ResourceType": "TEN_DLC", "IsoCountryCode": "US", "AssociationBehavior": "ASSOCIATE_AFTER_COMPLETE",
         "DisassociationBehavior": "DISASSOCIATE_ALL_ALLOWS_DELETE_REGISTRATION"},
    ),
)  # fmt: skip

TOLL_FREE = TypeDef(
    "US_TOLL_FREE_REGISTRATION",
    "US toll-free number registration",
    "Verify a US toll-free number; an unverified toll-free number cannot send.",
    DOCS + "registrations-tfn.html",
    (
        ("companyInfo", "Company information", "The company that sends the messages."),
        ("contactInfo", "Contact information", "Who carriers contact about the number."),
        ("messagingUseCase", "Messaging use case", "What is sent, how often, and how recipients opt in."),
        ("messageSamples", "Message samples", "Examples of the messages sent."),
    ),
    (
        _text("companyInfo.companyName", R, "Company name", "Legal name your company is registered under.",
              example="Example Corp"),
        _text("companyInfo.website", R, "Company website", "The company's public website.", pattern=URL),
        _text("companyInfo.address1", R, "Address 1", "Street address of the company."),
        _text("companyInfo.address2", OPT, "Address 2", "Suite, floor or unit."),
        _text("companyInfo.city", R, "City", "City of the company's address."),
        _text("companyInfo.state", R, "State", "State or province of the company's address."),
        _text("companyInfo.zipCode", R, "Zip code", "Postal code of the company's address.", max_length=10),
        _text("companyInfo.isoCountryCode", R, "Country", "ISO country of the company's address.",
              min_length=2, max_length=2, pattern=COUNTRY),
        _text("contactInfo.firstName", R, "First name", "First name of the contact."),
        _text("contactInfo.lastName", R, "Last name", "Last name of the contact."),
        _text("contactInfo.supportEmail", R, "Support email", "Where recipients get help.", pattern=EMAIL),
        _text("contactInfo.supportPhoneNumber", R, "Support phone number", "E.164 support number.",
              max_length=16, pattern=E164),
        _select("messagingUseCase.monthlyMessageVolume", R, "Monthly SMS volume",
                "Estimated number of SMS messages sent from this toll-free number each month.",
                MONTHLY_VOLUMES),
        _select("messagingUseCase.useCaseCategory", R, "Use case category", "What the messages are for.",
                ("ONE_TIME_PASSCODES", "ACCOUNT_NOTIFICATIONS", "CUSTOMER_CARE", "DELIVERY_NOTIFICATIONS",
                 "FRAUD_ALERTS", "MARKETING", "NON_PROFIT", "POLLING_AND_VOTING", "PUBLIC_SERVICE_ANNOUNCEMENT",
                 "SECURITY_ALERTS", "OTHER")),
        _text("messagingUseCase.useCaseDetails", R, "Use case details", "The use case in your words.",
              max_length=500),
        _select("messagingUseCase.optInType", R, "Opt-in type", "How recipients consent.",
                ("DIGITAL_FORM", "PAPER_FORM", "VERBAL", "KEYWORD", "IVR", "OTHER")),
        _text("messagingUseCase.optInDescription", R, "Opt-in description", "The opt-in workflow.",
              max_length=500),
        _attachment("messagingUseCase.optInImage", R, "Opt-in image", "Image of the opt-in workflow."),
        _text("messageSamples.messageSample1", R, "Message sample 1", "A message sent from the number.",
              max_length=1024),
    ),
    (
        {"ResourceType": "TOLL_FREE", "IsoCountryCode": "US", "AssociationBehavior": "ASSOCIATE_BEFORE_SUBMIT",
         "DisassociationBehavior": "DISASSOCIATE_ALL_CLOSES_REGISTRATION"},
    ),
)  # fmt: skip

INDIA_SENDER_ID = TypeDef(
    "IN_SENDER_ID_REGISTRATION",
    "India sender ID registration",
    "Register a sender ID for India; it must match the header registered on a DLT platform.",
    DOCS + "registrations-sms-senderid-india.html",
    (
        ("senderIdInfo", "Sender ID information", "The sender ID to register."),
        ("inSidSpecificInfo", "India specific information", "DLT registration details."),
        ("companyInfo", "Company information", "The company that sends the messages."),
        ("companyAddress", "Company address", "Where the company is located."),
        ("contactInfo", "Contact information", "Who to contact about the registration."),
        ("messagingUseCase", "Messaging use case", "What the sender ID is used for."),
        ("messageSamples", "Message samples", "Examples of the messages sent."),
    ),
    (
        _text("senderIdInfo.senderId", R, "Sender ID", "3 to 6 letters, exactly as registered with DLT.",
              min_length=3, max_length=6, pattern=r"^[A-Za-z]{3,6}$", example="EXMPLE"),
        _text("inSidSpecificInfo.principalEntityId", R, "Principal entity ID", "The PEID from DLT.",
              max_length=30, pattern=r"^[0-9]{1,30}$"),
        _text("inSidSpecificInfo.chainId1", R, "Chain ID 1", "Telemarketer chain ID from DLT.", max_length=30),
        _text("inSidSpecificInfo.chainId2", R, "Chain ID 2", "Telemarketer chain ID from DLT.", max_length=30),
        _select("inSidSpecificInfo.sendingParametersAcknowledgement", R, "Sending parameters",
                "Entity ID and template ID are given with every message.", ("Yes",)),
        _text("companyInfo.companyName", R, "Company name", "Legal name your company is registered under."),
        _text("companyInfo.companyId", R, "Company ID", "Legal identification number of the company.",
              max_length=30, pattern=r"^[A-Za-z0-9]{1,30}$"),
        _text("companyInfo.website", R, "Company website", "The company's public website.", pattern=URL),
        _text("companyAddress.address1", R, "Address", "Street address of the company."),
        _text("companyAddress.city", R, "City", "City of the company's address."),
        _text("companyAddress.isoCountryCode", R, "Country", "ISO country of the company's address.",
              min_length=2, max_length=2, pattern=COUNTRY),
        _text("contactInfo.emailAddress", R, "Email address", "The company's point of contact.",
              pattern=EMAIL),
        _text("contactInfo.phoneNumber", R, "Phone number", "E.164 number of the point of contact.",
              max_length=16, pattern=E164),
        _select("messagingUseCase.useCaseCategory", R, "Use case category", "What the messages are for.",
                ("One-time passcodes", "Account or security alerts", "Purchase or delivery notifications",
                 "Public service announcements", "Polling and surveys", "Info on demand", "Other")),
        _text("messagingUseCase.useCaseDescription", R, "Use case description", "The use case in words.",
              max_length=500),
        _select("messagingUseCase.monthlyMessageVolume", R, "Monthly SMS volume",
                "Estimated number of SMS messages sent from this sender ID each month.", MONTHLY_VOLUMES),
        _text("messageSamples.messageSample1", R, "Message sample 1", "A message sent with the sender ID.",
              max_length=306),
    ),
    (
        {"ResourceType": "SENDER_ID", "IsoCountryCode": "IN", "AssociationBehavior": "ASSOCIATE_ON_APPROVAL",
         "DisassociationBehavior": "DISASSOCIATE_ALL_CLOSES_REGISTRATION"},
    ),
)  # fmt: skip

TYPES: dict[str, TypeDef] = {t.name: t for t in (TEN_DLC_BRAND, TEN_DLC_CAMPAIGN, TOLL_FREE, INDIA_SENDER_ID)}


def type_def(name: str) -> TypeDef:
    found = TYPES.get(name)
    if found is None:
        raise validation(
            f"{name} is not a registration type",
            "UNKNOWN_REGISTRATION_TYPE",
            [{"Name": "RegistrationType", "Message": f"unknown registration type {name}"}],
        )
    return found
