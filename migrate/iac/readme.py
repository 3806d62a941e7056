"""README.md next to the templates: how to deploy them, what is imported, what was left out and why, and
what no template expresses (opt-outs are data, registrations, account settings, provider limits)."""

from __future__ import annotations

from migrate.iac.model import IacModel, Place, params
from migrate.iac.names import camel, snake
from migrate.textsafe import markdown_code, markdown_sentence

TITLES = {"cloudformation": "CloudFormation", "terraform": "Terraform"}
KIND_NAMES = {
    "opt_out_list": "opt-out list",
    "configuration_set": "configuration set",
    "event_destination": "event destination",
    "sender_id": "sender ID",
    "phone_number": "phone number",
    "pool": "pool",
    "pool_identity": "pool member",
}
_GENERAL = (
    (
        "opted-out numbers",
        "Opted-out numbers are data, not infrastructure: an opt-out list resource is created empty. "
        "`pinpoint-migrate apply` fills each list from the endpoint exports and the Default list, and "
        "verifies it before any number or pool answers to it.",
        ("cloudformation", "terraform"),
    ),
    (
        "registrations",
        "Registrations (10DLC brands and campaigns, toll-free verification, sender ID registration) are "
        "forms with attachments and carrier review: no template creates or imports them.",
        ("cloudformation", "terraform"),
    ),
    (
        "account default protect configuration",
        "The account default protect configuration is an account setting "
        "(SetAccountDefaultProtectConfiguration), as are spend limits, the SMS sandbox and quotas: none "
        "of them is a template resource.",
        ("cloudformation", "terraform"),
    ),
    (
        "event streams without a v2 target",
        "An event stream to Kinesis Data Streams, or through a role that does not trust "
        "sms-voice.amazonaws.com, has no v2 event destination: it is left out, listed with its finding under its account and region.",
        ("cloudformation", "terraform"),
    ),
    (
        "pool iso_country_code",
        "AWS never returns a pool's iso_country_code: an imported pool leaves it out, because setting it "
        "plans a replacement on import. Pools the module creates keep it.",
        ("terraform",),
    ),
    (
        "pool identity order",
        "The provider founds a new pool with the first of its origination identities in sorted order (not "
        "the plan's): the opt-out list is set explicitly, so that choice changes no opt-out.",
        ("terraform",),
    ),
)


def _md(text: str) -> str:
    """A sentence holding text from AWS (names in messages) as inert Markdown: no HTML, no link, one line."""
    return markdown_sentence(text)


def _files(place: Place, fmt: str) -> list[str]:
    if fmt == "terraform":
        return [f"`{place.slug}/main.tf`"]
    files = [f"`{place.slug}.template.json`"]
    if any(r.imported for r in place.resources if r.kind != "event_destination"):
        files += [f"`{place.slug}.import.template.json`", f"`{place.slug}.resources-to-import.json`"]
    return files


def _how(place: Place, fmt: str) -> list[str]:
    stack = f"pinpoint-v2-{place.region}"
    if fmt == "terraform":
        steps = [
            "```sh",
            f"cd {place.slug}",
            "terraform init",
            "terraform plan -out plan.tfplan   # import blocks adopt what exists",
            "terraform apply plan.tfplan",
            "```",
        ]
        out = ["\n".join(steps)]
        if place.params:
            out.append(
                "Variables to set (`-var` or a `.tfvars` file): "
                + ", ".join(f"`{snake(p.name)}` ({p.description})" for p in place.params)
                + "."
            )
        return out
    out = []
    base = f"--region {place.region} --stack-name {stack}"
    if len(_files(place, fmt)) > 1:
        used = {p.name for r in place.resources if r.imported for p in params(r.live)}
        asked = " ".join(f"ParameterKey={camel(n)},ParameterValue=…" for n in sorted(used))
        out.append(
            "1. Import what exists (an import change set may not create anything):\n\n"
            f"   ```sh\n   aws cloudformation create-change-set {base} --change-set-name import \\\n"
            f"     --change-set-type IMPORT --template-body file://{place.slug}.import.template.json \\\n"
            f"     --resources-to-import file://{place.slug}.resources-to-import.json"
            + (f" \\\n     --parameters {asked}" if asked else "")
            + "\n"
            f"   aws cloudformation execute-change-set {base} --change-set-name import\n   ```"
        )
    kind = "UPDATE" if out else "CREATE"
    passed = " ".join(f"ParameterKey={camel(p.name)},ParameterValue=…" for p in place.params)
    out.append(
        f"{len(out) + 1}. Then make the plan's changes with the full template:\n\n"
        f"   ```sh\n   aws cloudformation create-change-set {base} --change-set-name plan \\\n"
        f"     --change-set-type {kind} --template-body file://{place.slug}.template.json"
        + (f" \\\n     --parameters {passed}" if passed else "")
        + f"\n   aws cloudformation execute-change-set {base} --change-set-name plan\n   ```"
    )
    if place.params:
        out.append(
            "   Parameters: " + ", ".join(f"`{camel(p.name)}` ({p.description})" for p in place.params) + "."
        )
    return out


def render(model: IacModel, fmt: str) -> str:
    title = TITLES[fmt]
    lines = [
        f"# {title} for plan {model.plan_id}",
        "",
        f"Written by `pinpoint-migrate export-iac --format {fmt}`: the AWS End User Messaging SMS and Voice v2 "
        "resources the plan wants, one "
        + ("template" if fmt == "cloudformation" else "root module")
        + " per account and region. What exists already is imported, never created again: phone numbers "
        "and sender IDs always are. The same plan gives the same files, byte for byte.",
    ]
    for place in model.places:
        created = [r for r in place.resources if not r.imported]
        imported = [r for r in place.resources if r.imported]
        lines += ["", f"## {place.account} in {place.region}", ""]
        lines.append(
            f"Files: {', '.join(_files(place, fmt))}. {len(created)} resource(s) to create, {len(imported)} to import."
        )
        lines += ["", *_how(place, fmt)]
        if imported:
            lines += ["", "Imported (they exist already):", ""]
            lines += [
                f"- {KIND_NAMES[r.kind]} {markdown_code(r.name)} (id {markdown_code(r.import_id)})"
                for r in imported
            ]
        if place.left_out:
            lines += ["", "Left out, blocked by findings (fix them, plan again, export again):", ""]
            for item in place.left_out:
                lines.append(
                    f"- {KIND_NAMES.get(item.resource_type, 'pool member')} {markdown_code(item.name)} ({markdown_code(item.address)}): {', '.join(item.codes)}"
                )
                lines += [f"  - {_md(m)}" for m in item.messages]
        gaps = [g for g in place.gaps if fmt in g.formats]
        if gaps:
            lines += ["", "Not expressed by the templates:", ""]
            lines += [f"- **{g.topic}** ({_md(g.subject)}): {_md(g.text)}" for g in gaps]
    lines += ["", "## What no template can express", ""]
    lines += [f"- **{topic}**: {text}" for topic, text, formats in _GENERAL if fmt in formats]
    if model.findings:
        lines += ["", "## Blockers a person must still clear", ""]
        lines += [
            f"- `{f['code']}` ({f['account']}/{f['region']}): {_md(f['message'])}" for f in model.findings
        ]
    return "\n".join(lines) + "\n"
