from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrate.inventory import codescan
from migrate.inventory.codescan import scan_code, scan_text
from migrate.inventory.codescan_rules import LANGUAGES, replacement

FIXTURES = Path(__file__).parent / "fixtures" / "code"
MSG, USERS, V1 = "pinpoint:SendMessages", "pinpoint:SendUsersMessages", "pinpoint-sms-voice:SendVoiceMessage"

EXPECTED = [
    ("cfn/template.yaml", 13, "cloudformation", MSG, "inline-code", "unknown"),
    ("cfn/template.yaml", 20, "cloudformation", MSG, "iam", "unknown"),
    ("cfn/template.yaml", 30, "cloudformation", MSG, "state-machine", "unknown"),
    ("csharp/Sender.cs", 10, "csharp", MSG, "request", "SMS"),
    ("csharp/Sender.cs", 15, "csharp", MSG, "call", "SMS"),
    ("go/send.go", 11, "go", MSG, "call", "SMS"),
    ("java/Sender.java", 11, "java", MSG, "request", "SMS"),
    ("java/Sender.java", 14, "java", MSG, "call", "SMS"),
    ("js/notify.js", 12, "javascript", MSG, "call", "SMS"),
    ("js/stack.ts", 6, "typescript", MSG, "state-machine", "unknown"),
    ("js/voice.ts", 9, "typescript", MSG, "call", "VOICE"),
    ("js/voice.ts", 17, "typescript", V1, "call", "VOICE"),
    ("python/otp.py", 12, "python", MSG, "call", "SMS"),
    ("python/otp.py", 24, "python", USERS, "call", "VOICE"),
    ("python/voice_v1.py", 9, "python", V1, "call", "VOICE"),
    ("shell/blast.sh", 3, "shell", MSG, "cli", "SMS"),
    ("shell/blast.sh", 5, "shell", V1, "cli", "VOICE"),
    ("stepfunctions/call.asl.json", 6, "stepfunctions", V1, "state-machine", "VOICE"),
    ("terraform/main.tf", 3, "terraform", V1, "iam", "VOICE"),
    ("terraform/main.tf", 3, "terraform", USERS, "iam", "unknown"),
    ("terraform/main.tf", 14, "terraform", USERS, "state-machine", "unknown"),
    ("terraform/main.tf", 21, "terraform", MSG, "cli", "unknown"),
]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES, root)
    return root


def test_every_language_finds_its_call_sites(tree: Path) -> None:
    result = scan_code([tree])
    prefix = tree.as_posix() + "/"
    found = [(h.path.removeprefix(prefix), h.line, h.language, h.api, h.kind, h.channel) for h in result.hits]
    assert found == EXPECTED
    assert result.files_scanned == 14 and result.skipped == ()
    # Django's send_messages() and v2's send_voice_message() are not Pinpoint's or v1's
    assert not [h for h in result.hits if h.path.endswith(("mail.py", "already_v2.py"))]


def test_hits_carry_the_v2_replacement_and_the_line(tree: Path) -> None:
    hits = {(Path(h.path).name, h.line, h.api): h for h in scan_code([tree]).hits}
    sms = hits[("otp.py", 12, MSG)]
    assert sms.replacement == "pinpoint-sms-voice-v2:SendTextMessage"
    mapping = dict(sms.parameters)
    assert mapping["SMSMessage.Body / Addresses.<n>.BodyOverride"] == "MessageBody"
    assert mapping["SMSMessage.OriginationNumber"].startswith("OriginationIdentity")
    assert mapping["SMSMessage.SenderId"].startswith("OriginationIdentity")
    assert mapping["SMSMessage.MessageType"].startswith("MessageType")
    assert mapping["SMSMessage.Keyword"] == "Keyword"
    assert (
        "IN_ENTITY_ID" in mapping["SMSMessage.EntityId"]
        and "IN_TEMPLATE_ID" in mapping["SMSMessage.TemplateId"]
    )
    assert mapping["MessageRequest.Addresses.<number> (ChannelType SMS)"].startswith("DestinationPhoneNumber")
    assert sms.snippet == "pinpoint.send_messages("
    v1 = hits[("voice_v1.py", 9, V1)]
    assert v1.replacement == "pinpoint-sms-voice-v2:SendVoiceMessage"
    assert dict(v1.parameters)["Content.SSMLMessage.Text"] == "MessageBody with MessageBodyTextType SSML"
    users = hits[("otp.py", 24, USERS)]
    assert users.replacement.endswith("SendVoiceMessage") and users.parameters[0][0].startswith(
        "SendUsersMessageRequest"
    )
    unknown = hits[("stack.ts", 6, MSG)]
    assert " or " in unknown.replacement
    assert hits[("main.tf", 3, V1)].note.startswith(
        "sms-voice:SendVoiceMessage is the IAM action of v1 and of v2"
    )


def test_vendored_binary_large_and_linked_files_are_skipped(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sdk_copy = (FIXTURES / "js" / "notify.js").read_text()
    for vendored in ("node_modules/aws-sdk", ".git/hooks", "vendor/pkg", "tools/env", ".terraform/modules"):
        (tree / vendored).mkdir(parents=True)
        (tree / vendored / "send.js").write_text(sdk_copy)
    (tree / "tools" / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tree / "python" / "blob.py").write_bytes(b"\x00\x01pinpoint send_messages(")
    (tree / "js" / "bundle.min.js").write_text(sdk_copy)
    (tree / "js" / "big.js").write_text(sdk_copy + "//" + "x" * 5000)
    (tree / "js" / "link.js").symlink_to(tree / "js" / "notify.js")
    (tree / "README.md").write_text("aws pinpoint send-messages is documented here")
    monkeypatch.setattr(codescan, "MAX_BYTES", 4096)
    result = scan_code([tree, tmp_path / "missing"])
    prefix = tree.as_posix() + "/"
    assert [(h.path.removeprefix(prefix), h.line) for h in result.hits if h.path.endswith(".js")] == [
        ("js/notify.js", 12)
    ]
    assert result.skipped == (
        ((tmp_path / "missing").as_posix(), "no such file or folder"),
        (f"{prefix}js/big.js", "larger than 4,096 bytes"),
        (f"{prefix}python/blob.py", "binary"),
    )
    assert result.files_scanned == 14


def test_the_same_tree_gives_the_same_answer_and_single_files_work(tree: Path) -> None:
    assert scan_code([tree]) == scan_code([tree])
    single = scan_code([tree / "shell" / "blast.sh"])
    assert [(h.path, h.line) for h in single.hits] == [
        ((tree / "shell" / "blast.sh").as_posix(), 3),
        ((tree / "shell" / "blast.sh").as_posix(), 5),
    ]


def test_relative_roots_stay_relative(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.parent)
    hits = scan_code(["repo/go"]).hits
    assert [(h.path, h.line) for h in hits] == [("repo/go/send.go", 11)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "python",
            "import boto3\nc = boto3.client('pinpoint')\nc.send_messages(ApplicationId='a')\n",
            [(3, MSG)],
        ),
        ("python", "from mod import send_messages\nsend_messages(x)\n", []),
        ("javascript", "import { SendMessagesCommand } from '@aws-sdk/client-pinpoint';\n", []),
        (
            "go",
            'import "github.com/aws/aws-sdk-go/service/pinpoint"\nsvc.SendMessagesWithContext(ctx, in)\n',
            [(2, MSG)],
        ),
        (
            "go",
            'import "github.com/aws/aws-sdk-go/service/pinpointsmsvoicev2"\nsvc.SendVoiceMessage(ctx, in)\n',
            [],
        ),
        ("csharp", "using Amazon.PinpointSMSVoice;\nawait c.SendVoiceMessageAsync(r);\n", [(2, V1)]),
        ("csharp", "using Amazon.PinpointSMSVoiceV2;\nawait c.SendVoiceMessageAsync(r);\n", []),
        (
            "kotlin",
            "import aws.sdk.kotlin.services.pinpoint.PinpointClient\nclient.sendUsersMessages(r)\n",
            [(2, USERS)],
        ),
        ("shell", "aws pinpoint send-users-messages --application-id x\n", [(1, USERS)]),
        (
            "yaml",
            "steps:\n  - run: aws --profile p pinpoint send-messages --cli-input-json file://m.json\n",
            [(2, MSG)],
        ),
    ],
)
def test_patterns(language: str, text: str, expected: list[tuple[int, str]]) -> None:
    assert [(h.line, h.api) for h in scan_text(text, "f", language)] == expected


def test_every_language_has_rules_and_every_api_a_replacement() -> None:
    assert all(lang.rules for lang in LANGUAGES)
    for api in (MSG, USERS, V1):
        for channel in ("SMS", "VOICE", "unknown"):
            swap = replacement(api, channel)
            assert swap.operation.startswith("pinpoint-sms-voice-v2:") and swap.parameters
