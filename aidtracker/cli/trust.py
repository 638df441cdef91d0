"""Commands for trust: review (confirm, correct, reject, merge, split, log, orphans), user, backup, restore."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape

from aidtracker import auth
from aidtracker.cli.app import DbOption, app, err, fail, opened, out
from aidtracker.display import for_terminal
from aidtracker.errors import AidtrackerError
from aidtracker.pipeline import resolve_store
from aidtracker.review import (
    Review,
    ReviewAction,
    ReviewStatus,
    orphans,
    record_review,
    review_log,
    review_states,
)
from aidtracker.review_json import orphan_json, review_json, status_json
from aidtracker.store import Store
from aidtracker.store.backup import backup, restore

review_app = typer.Typer(
    name="review",
    help="Confirm, correct or reject facts, merge or split clusters, and read the audit trail.",
    no_args_is_help=True,
)
user_app = typer.Typer(
    name="user", help="Add, list and revoke the users who may write over the API.", no_args_is_help=True
)
app.add_typer(review_app)
app.add_typer(user_app)

ByOption = Annotated[
    str,
    typer.Option("--by", envvar="AIDTRACKER_REVIEWER", help="Your name, as the audit trail will keep it."),
]
CommentOption = Annotated[str | None, typer.Option("--comment", help="Why: kept with the review.")]
NoResolveOption = Annotated[
    bool,
    typer.Option("--no-resolve", help="Record the review only; it applies at the next `aidtracker resolve`."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")]


def show(text: str) -> str:
    """Untrusted text ready for rich: bidi and control characters neutralised, markup escaped."""
    return escape(for_terminal(text))


def _review(
    db: str | None,
    action: ReviewAction,
    target: str,
    *,
    by: str,
    other: str | None = None,
    fields: list[str] | None = None,
    comment: str | None = None,
    no_resolve: bool = False,
) -> None:
    with opened(db) as store:
        review = record_review(store, action, target, by=by, other=other, fields=fields or [], comment=comment)
        out.print(show(_review_line(review)), highlight=False, soft_wrap=True)
        if no_resolve:
            out.print("resolution unchanged until `aidtracker resolve`", highlight=False)
            return
        resolution = resolve_store(store)
        out.print(f"resolved again: {len(resolution.clusters)} clusters", highlight=False)
        warn_orphans(store)


@review_app.command("confirm")
def confirm_cmd(
    target: Annotated[str, typer.Argument(help="A fact id (as `show` lists them) or a cluster id or prefix.")],
    by: ByOption,
    comment: CommentOption = None,
    db: DbOption = None,
    no_resolve: NoResolveOption = False,
) -> None:
    """Confirm a fact, or every fact of a cluster, as the text states it."""
    _review(db, ReviewAction.CONFIRM, target, by=by, comment=comment, no_resolve=no_resolve)


@review_app.command("correct")
def correct_cmd(
    target: Annotated[str, typer.Argument(help="A fact id or a cluster id or prefix.")],
    by: ByOption,
    field: Annotated[
        list[str],
        typer.Option("--field", help="NAME=VALUE, as amount=12100000000 or donor=Japan; repeat for several."),
    ],
    comment: CommentOption = None,
    db: DbOption = None,
    no_resolve: NoResolveOption = False,
) -> None:
    """Correct fields of a fact or cluster; totals use the corrected values."""
    _review(db, ReviewAction.CORRECT, target, by=by, fields=field, comment=comment, no_resolve=no_resolve)


@review_app.command("reject")
def reject_cmd(
    target: Annotated[str, typer.Argument(help="A fact id or a cluster id or prefix.")],
    by: ByOption,
    comment: CommentOption = None,
    db: DbOption = None,
    no_resolve: NoResolveOption = False,
) -> None:
    """Reject a fact, or every fact of a cluster: it leaves its cluster and the totals."""
    _review(db, ReviewAction.REJECT, target, by=by, comment=comment, no_resolve=no_resolve)


@review_app.command("merge")
def merge_cmd(
    cluster: Annotated[str, typer.Argument(help="A cluster id or prefix.")],
    other: Annotated[str, typer.Argument(help="The cluster that reports the same thing.")],
    by: ByOption,
    comment: CommentOption = None,
    db: DbOption = None,
    no_resolve: NoResolveOption = False,
) -> None:
    """Merge two clusters that report the same real-world fact."""
    _review(db, ReviewAction.MERGE, cluster, by=by, other=other, comment=comment, no_resolve=no_resolve)


@review_app.command("split")
def split_cmd(
    cluster: Annotated[str, typer.Argument(help="A cluster id or prefix.")],
    mention: Annotated[str, typer.Argument(help="The id of the mention to take out of it.")],
    by: ByOption,
    comment: CommentOption = None,
    db: DbOption = None,
    no_resolve: NoResolveOption = False,
) -> None:
    """Take a mention out of a cluster it does not belong to."""
    _review(db, ReviewAction.SPLIT, cluster, by=by, other=mention, comment=comment, no_resolve=no_resolve)


@review_app.command("log")
def log_cmd(
    ref: Annotated[str | None, typer.Argument(help="A fact or cluster: only the reviews of it.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Print the audit trail: who did what to which fact, when, what it was and what it became."""
    with opened(db) as store:
        found = review_log(store, ref)
        status = review_states(store, [ref]).get(ref) if ref else None
    if as_json:
        payload: dict[str, Any] = {"reviews": [review_json(r) for r in found]}
        if ref:
            payload["status"] = status_json(status) if status else None
        out.print_json(json.dumps(payload, default=str))
        return
    if status is not None:
        out.print(show(f"{ref}: {_status_line(status)}"), highlight=False, soft_wrap=True)
    for r in found:
        out.print(show(_review_line(r)), highlight=False, soft_wrap=True)
        if r.action is ReviewAction.CORRECT:
            for name, value in r.corrections.items():
                was = r.before.get("fields", {}).get(name)
                out.print(show(f"    {name}: {_value(was)} → {_value(value)}"), highlight=False, soft_wrap=True)
        if r.comment:
            out.print(f"    [dim]« {show(r.comment)} »[/dim]", highlight=False, soft_wrap=True)
    out.print(f"{len(found)} review{'' if len(found) == 1 else 's'}", highlight=False)


@review_app.command("orphans")
def orphans_cmd(as_json: JsonOption = False, db: DbOption = None) -> None:
    """List reviews whose evidence no stored fact has any more (a new version, a fact read differently)."""
    with opened(db) as store:
        found = orphans(store)
    if as_json:
        out.print_json(json.dumps([orphan_json(o) for o in found], default=str))
        return
    for o in found:
        how = "partly orphaned" if o.partial else "orphaned"
        out.print(show(f"{_review_line(o.review)} — {how}"), highlight=False, soft_wrap=True)
        for key in o.missing:
            out.print(show(f"    no fact any more: {key}"), highlight=False, soft_wrap=True)
    out.print(f"{len(found)} orphaned review{'' if len(found) == 1 else 's'}", highlight=False)


def warn_orphans(store: Store) -> None:
    """One warning line on stderr if some reviews no longer match a stored fact; nothing otherwise."""
    found = orphans(store)
    if found:
        err.print(
            f"[yellow]warning[/yellow]: {_orphan_count(len(found))} the stored facts "
            f"({'its' if len(found) == 1 else 'their'} evidence changed); see `aidtracker review orphans`",
            highlight=False,
            soft_wrap=True,
        )


def _orphan_count(n: int) -> str:
    return "1 review no longer matches" if n == 1 else f"{n} reviews no longer match"


def _review_line(r: Review) -> str:
    when = r.at.strftime("%Y-%m-%d %H:%M:%S") if r.at else "now"
    targets = " + ".join(r.targets)
    facts = (
        f" ({len(r.keys)} facts)" if r.action in (ReviewAction.CONFIRM, ReviewAction.REJECT) and len(r.keys) > 1 else ""
    )
    return f"review {r.id}: {when} {r.by} {r.action} {targets}{facts}"


def _status_line(s: ReviewStatus) -> str:
    fields = ", ".join(f"{k}={_value(v)}" for k, v in s.fields.items())
    return f"{s.state}" + (f" ({fields})" if fields else "")


def _value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


# ------------------------------------------------------------------------------------ users


@user_app.command("add")
def user_add_cmd(
    name: Annotated[str, typer.Argument(help="The user's name, as reviews will record it.")],
    role: Annotated[str, typer.Option("--role", help="reviewer (reviews, uploads) or admin (also manages users).")],
    db: DbOption = None,
) -> None:
    """Add a user and print their API token, once: only its hash is stored."""
    with opened(db) as store:
        user, token = auth.add_user(store, name, role)
    out.print(token, highlight=False, soft_wrap=True)
    err.print(
        f"user {escape(user.name)} ({user.role}) added; the token above is shown only now — keep it secret",
        highlight=False,
    )


@user_app.command("list")
def user_list_cmd(db: DbOption = None) -> None:
    """List users with their roles and whether their token is revoked."""
    with opened(db) as store:
        found = store.users()
    for u in found:
        state = f"revoked {u.revoked_at:%Y-%m-%d}" if u.revoked_at else "active"
        out.print(f"{escape(u.name)}  {u.role}  since {u.created_at:%Y-%m-%d}  {state}", highlight=False)
    out.print(f"{len(found)} user{'' if len(found) == 1 else 's'}", highlight=False)


@user_app.command("revoke")
def user_revoke_cmd(
    name: Annotated[str, typer.Argument(help="The user whose token stops working now.")],
    db: DbOption = None,
) -> None:
    """Revoke a user's token; their reviews stay in the audit trail."""
    with opened(db) as store:
        user = store.revoke_user(name)
    out.print(f"user {escape(user.name)}: token revoked", highlight=False)


# ------------------------------------------------------------------------------------ backup


@app.command("backup")
def backup_cmd(
    path: Annotated[str, typer.Argument(help="The file to write (replaced atomically if it exists).")],
    db: DbOption = None,
) -> None:
    """Copy the whole database to a file, consistently even while others write."""
    try:
        info = backup(db, path)
    except AidtrackerError as exc:
        raise fail(exc) from exc
    out.print(f"backed up to {escape(str(info.path))} ({info.bytes:,} bytes{_counts(info)})", highlight=False)


@app.command("restore")
def restore_cmd(
    path: Annotated[str, typer.Argument(help="A file written by `aidtracker backup`.")],
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before replacing the database.")] = False,
) -> None:
    """Replace the database with a backup, all at once; stop other writers first."""
    if not yes:
        typer.confirm("Replace the whole database with this backup?", abort=True, err=True)
    try:
        info = restore(db, path)
    except AidtrackerError as exc:
        raise fail(exc) from exc
    with opened(db):  # brings a backup from an older aidtracker up to this schema
        pass
    out.print(f"restored {escape(str(path))}{_counts(info)}", highlight=False)


def _counts(info: Any) -> str:
    if info.documents is None:
        return ""
    return f"; {info.documents} documents, {info.reviews} reviews, schema {info.revision}"
