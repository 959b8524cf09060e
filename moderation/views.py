"""Thin views: a permission helper, one service call, then a redirect or an htmx partial."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage
from django.db import connection
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig, Table
from django_tables2.paginators import LazyPaginator

from moderation import feedback, selectors, services
from moderation.filters import RULE_CHOICES, ItemFilter
from moderation.forms import BulkDecisionForm, DecisionForm
from moderation.models import Action, CampaignAccount, DecisionKind, Item, Membership, Role
from moderation.suggestions import suggest_action
from moderation.tables import AuditTable, ItemTable
from platforms.registry import connector_for
from saferpol.client_address import client_ip


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("moderation:queue")


def _decision_options(item: Item, membership: Membership) -> tuple[list[dict], dict]:
    """Every decision with whether it can be done here, and why not when it can't."""
    capabilities = connector_for(item.platform).capabilities(item.account)
    options = []
    for kind in DecisionKind:
        if kind == DecisionKind.MISSED:
            continue  # its own form, with the rule, on replies the rules let through
        state = services.decision_capability(account=item.account, kind=kind, capabilities=capabilities)
        if kind == DecisionKind.DELETE and (state is None or not state.available):
            continue  # only offered where the platform allows it; hide is the usual choice
        if not services.undo_possible(item=item, kind=kind):
            continue  # an undo is offered once there is something done to undo
        options.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "available": membership.can_decide and (state is None or state.available),
                "manual": state is not None and state.available and not state.automatic,
                "reason": (state.reason if state is not None else ""),
                "url": state.manual_url if state is not None else "",
            }
        )
    return options, capabilities


def _queue_context(request: HttpRequest, params: QueryDict) -> dict:
    filterset = ItemFilter(params or None, queryset=selectors.items_for_user(request.user), user=request.user)
    items = filterset.qs if filterset.is_valid() else Item.objects.none()
    table = ItemTable(items)
    RequestConfig(request, paginate=False).configure(table)
    paginate_lazily(table, page=page_number(params), per_page=_per_page(params))
    memberships = {m.account_id: m for m in Membership.objects.filter(user=request.user).select_related("account")}
    _annotate_suggestions(table, memberships)
    return {
        "filter": filterset,
        "table": table,
        "can_decide_any": any(m.can_decide for m in memberships.values()),
        "has_accounts": bool(memberships),
        "decision_kinds": [
            k for k in DecisionKind if k not in (DecisionKind.DELETE, DecisionKind.MISSED, *services.UNDOES)
        ],
        "queue_url": f"{reverse('moderation:queue')}?{params.urlencode()}" if params else reverse("moderation:queue"),
    }


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request, request.GET)
    partial = request.htmx and not request.htmx.boosted
    return render(request, "moderation/_queue_results.html" if partial else "moderation/queue.html", context)


def paginate_lazily(table: Table, *, page: int, per_page: int) -> None:
    """Pages without ever counting the rows: a million items cost the same as ten."""
    try:
        table.paginate(paginator_class=LazyPaginator, per_page=per_page, page=page)
    except EmptyPage:
        table.paginate(paginator_class=LazyPaginator, per_page=per_page, page=1)


def _per_page(params: QueryDict) -> int:
    try:
        return max(5, min(100, int(params.get("per_page", settings.SAFERPOL_QUEUE_PAGE_SIZE))))
    except ValueError:
        return settings.SAFERPOL_QUEUE_PAGE_SIZE


def page_number(params: QueryDict) -> int:
    try:
        return max(1, int(params.get("page", 1)))
    except ValueError:
        return 1


def _annotate_suggestions(table: ItemTable, memberships: dict[int, Membership]) -> None:
    capabilities: dict[tuple[int, str], dict] = {}
    for row in table.paginated_rows:
        item = row.record
        key = (item.account_id, item.platform)
        if key not in capabilities:
            capabilities[key] = connector_for(item.platform).capabilities(item.account)
        item.suggestion = suggest_action(item, capabilities[key])
        membership = memberships.get(item.account_id)
        item.can_decide = bool(membership and membership.can_decide)


def _back_to_queue(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("moderation:queue")


@login_required
@require_POST
def queue_decide(request: HttpRequest) -> HttpResponse:
    """Decide many items at once; each item is checked and reported on its own."""
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _queue_response(request)

    kind, note = form.cleaned_data["action"], form.cleaned_data["note"]
    items = Item.objects.filter(code__in=form.cleaned_data["items"]).select_related("account", "author")
    member_of = {m.account_id: m for m in Membership.objects.filter(user=request.user)}
    done, problems = 0, []
    found = 0
    for item in items:
        membership = member_of.get(item.account_id)
        if membership is None:
            continue  # an outsider's item is reported as not found, like a missing one
        found += 1
        if not membership.can_decide:
            problems.append(f"{item.author.handle}: your role can't decide on {item.account}.")
            continue
        try:
            services.item_decide(item=item, user=request.user, kind=kind, note=note, ip_address=client_ip(request))
            done += 1
        except services.DecisionNotPossible as exc:
            problems.append(f"@{item.author.handle}: {exc}")
    missing = len(form.cleaned_data["items"]) - found
    if done:
        messages.success(request, f"{DecisionKind(kind).label}: recorded for {done} item{'s' if done != 1 else ''}.")
    if missing:
        messages.error(request, f"{missing} selected item{'s' if missing != 1 else ''} could not be found.")
    for problem in problems[:10]:
        messages.warning(request, problem)
    return _queue_response(request)


def _queue_response(request: HttpRequest) -> HttpResponse:
    """htmx gets the refreshed results for the same filters; a plain form post is redirected."""
    target = _back_to_queue(request)
    if request.htmx:
        params = QueryDict(urlsplit(target).query)
        return render(request, "moderation/_queue_results.html", _queue_context(request, params))
    return redirect(target)


@login_required
@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item, membership = selectors.item_for_user(request.user, code)
    return render(request, "moderation/item_detail.html", _item_context(request.user, item, membership))


def _item_context(user, item: Item, membership: Membership, form: DecisionForm | None = None) -> dict:
    # The hits are read by the page, the suggestion and the flagged-or-not heading: one query for all.
    prefetch_related_objects([item], "hits")
    options, capabilities = _decision_options(item, membership)
    return {
        "item": item,
        "membership": membership,
        "hits": item.hits.all(),
        "decisions": selectors.item_decisions(item),
        "author_items": selectors.author_recent_items(item),
        "author_decisions": selectors.author_earlier_decisions(item),
        # A reply left clear (hits below the account's thresholds, if any) has nothing to act on.
        "suggestion": suggest_action(item, capabilities) if item.status != Item.Status.CLEAR else None,
        "options": options,
        "can_flag_missed": membership.can_decide and item.status == Item.Status.CLEAR,
        "rule_choices": RULE_CHOICES,
        "flagged_by_rules": any(hit.below_threshold is None for hit in item.hits.all()),
        "form": form or DecisionForm(),
        "police_guidance": services.POLICE_GUIDANCE,
        "role_label": Role(membership.role).label,
        "next_item": selectors.next_item_for_user(user, item),
    }


@login_required
@require_POST
def item_decide(request: HttpRequest, code: str) -> HttpResponse:
    item, membership = selectors.item_for_user(request.user, code, to_decide=True)
    form = DecisionForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.item_decide(
                item=item,
                user=request.user,
                kind=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                ip_address=client_ip(request),
            )
        except services.DecisionNotPossible as exc:
            form.add_error("action", str(exc))
            status = 400
        else:
            messages.success(request, f"{DecisionKind(form.cleaned_data['action']).label}: recorded.")
            if not request.htmx:
                return redirect(_after_decision_url(request, item))
            item.refresh_from_db()
            form = None
    else:
        status = 400
    if request.htmx:
        return render(
            request,
            "moderation/_decision_panel.html",
            _item_context(request.user, item, membership, form),
            status=status,
        )
    for errors in form.errors.values() if form else []:
        for error in errors:
            messages.error(request, error)
    return redirect("moderation:item", code=item.code)


@login_required
@require_POST
def item_missed(request: HttpRequest, code: str) -> HttpResponse:
    """Flag a reply the rules let through: it goes to the queue with the moderator's rule."""
    item, _ = selectors.item_for_user(request.user, code, to_decide=True)
    try:
        rule = int(request.POST.get("rule", ""))
    except ValueError:
        rule = None
    try:
        services.item_flag_missed(
            item=item, user=request.user, rule=rule, note=request.POST.get("note", ""), ip_address=client_ip(request)
        )
    except services.DecisionNotPossible as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Flagged as missed under rule {rule}: it is now in the queue.")
    return redirect("moderation:item", code=item.code)


def _after_decision_url(request: HttpRequest, item: Item) -> str:
    """Back to the queue (keeping its filters) when the decision came from there."""
    if request.POST.get("next"):
        return _back_to_queue(request)
    return reverse("moderation:item", kwargs={"code": item.code})


@login_required
@require_POST
def action_reference(request: HttpRequest, code: str) -> HttpResponse:
    """Record the reference number a platform gave for a report made by hand."""
    action = Action.objects.select_related("decision__item").filter(code=code).first()
    if action is None:
        raise Http404("No such action")
    item, _ = selectors.item_for_user(request.user, action.decision.item.code, to_decide=True)
    try:
        services.action_record_reference(
            action=action, user=request.user, reference=request.POST.get("reference", ""), ip_address=client_ip(request)
        )
    except services.DecisionNotPossible as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Reference recorded.")
    return redirect("moderation:item", code=item.code)


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    table = AuditTable(selectors.audit_events_for_user(request.user))
    RequestConfig(request, paginate=False).configure(table)
    paginate_lazily(table, page=page_number(request.GET), per_page=50)
    return render(request, "moderation/audit.html", {"table": table})


@login_required
@require_GET
def accounts(request: HttpRequest) -> HttpResponse:
    """The person's campaign accounts: their role, polling state and what each platform allows."""
    rows = []
    for membership in (
        Membership.objects.filter(user=request.user)
        .select_related("account")
        .order_by("account__platform", "account__handle")
    ):
        account = membership.account
        capabilities = connector_for(account.platform).capabilities(account)
        rows.append({"account": account, "role": Role(membership.role).label, "capabilities": capabilities.items()})
    return render(request, "moderation/accounts.html", {"rows": rows})


# --- Score thresholds per account --------------------------------------------------------


def _account_for_user(user, code: str, *, owner: bool = False) -> tuple[CampaignAccount, Membership]:
    """The account and the person's membership; 404 to outsiders, 403 to non-owners when changing."""
    return selectors.account_for_user(user, code, owners_only_to="change its thresholds" if owner else "")


@login_required
@require_GET
def account_thresholds(request: HttpRequest, code: str) -> HttpResponse:
    """The account's minimum scores, and what moderators' dismissals suggest; owners change them."""
    account, membership = _account_for_user(request.user, code)
    thresholds = list(account.score_thresholds.select_related("set_by"))
    current = {(t.rule, t.category): t.min_score for t in thresholds}
    suggestions = [
        {"suggestion": s, "current": current.get((s.rule, s.category))} for s in feedback.threshold_suggestions(account)
    ]
    # Everything a threshold may be set for: each rule as a whole, then each of its categories.
    targets = []
    for rule, label in RULE_CHOICES:
        for category in ("", *feedback.RULE_CATEGORIES.get(rule, ())):
            if not feedback.threshold_refusal(rule, category):
                targets.append((f"{rule}:{category}", f"Rule {label}: {category or 'every category'}"))
    return render(
        request,
        "moderation/thresholds.html",
        {
            "account": account,
            "membership": membership,
            "is_owner": membership.role == Role.OWNER,
            "thresholds": thresholds,
            "suggestions": suggestions,
            "targets": targets,
            "min_dismissed": feedback.MIN_DISMISSED,
            "dismissed_percent": round(feedback.DISMISSED_SHARE * 100),
            "refusal": feedback.threshold_refusal(2, "threat"),
        },
    )


@login_required
@require_POST
def threshold_set(request: HttpRequest, code: str) -> HttpResponse:
    """Set (or change) one minimum score; `target` is "RULE:CATEGORY", with no category for the whole rule."""
    account, _ = _account_for_user(request.user, code, owner=True)
    rule, _, category = request.POST.get("target", "").partition(":")
    try:
        services.account_threshold_set(
            account=account,
            user=request.user,
            rule=rule,
            category=category,
            min_score=request.POST.get("min_score", ""),
            source="suggestion applied" if request.POST.get("source") == "suggestion" else "by hand",
            ip_address=client_ip(request),
        )
    except services.ThresholdRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Threshold saved. It applies to replies that arrive from now on.")
    return redirect("moderation:thresholds", code=account.code)


@login_required
@require_POST
def threshold_remove(request: HttpRequest, code: str) -> HttpResponse:
    account, _ = _account_for_user(request.user, code, owner=True)
    rule, _, category = request.POST.get("target", "").partition(":")
    try:
        services.account_threshold_remove(
            account=account, user=request.user, rule=rule, category=category, ip_address=client_ip(request)
        )
    except services.ThresholdRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Threshold removed.")
    return redirect("moderation:thresholds", code=account.code)
