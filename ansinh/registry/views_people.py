"""Registry edit pages: a person's page, adding households and people, moving members, changing the head,
recording deaths and moves out, changing the poverty status, and the "Lịch sử" (history) pages. Each page
is a form whose POST calls one service; a service error is shown on the field it names, nothing written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from ansinh.accounts.services import communes_in_scope, record_communes_in_scope, require_permission, role_of
from ansinh.accounts.models import Role
from ansinh.areas.models import AdministrativeUnit, Level
from ansinh.accounts.views import domain_errors
from ansinh.collection.selectors_receipts import person_payment_history

from . import services_people as services
from .errors_people import RegistryEditError
from .forms_people import HeadChangeForm, HouseholdCreateForm, LeaveForm, MoveForm, PersonCreateForm, PersonEditForm, PovertyForm
from .models import Household, Relationship
from . import errors_people as e_people
from .selectors import (HISTORY_LABELS, household_get, household_history, household_people, person_by_citizen_id,
                        person_get, person_history)

PERSON_FIELDS = ["full_name", "date_of_birth", "sex", "citizen_id", "si_number", "phone", "ethnic_minority",
                 "other_coverage", "hamlet"]


def _form_page(request, *, form, title: str, back: str, run, done: str, intro: str = "", alike=None):
    """GET: the form. POST: run the service with the cleaned data; success -> a notice saying what the change
    does to money and a redirect to ``done``; an error -> the form again (422) with the message on its field.
    ``alike(cleaned_data)``: probable duplicates of a new person; when there are any and the user has not
    ticked ``not_duplicate``, nothing is saved and the page lists them (with links) before saving."""
    duplicates = []
    if request.method == "POST" and form.is_valid() and alike is not None \
            and not form.cleaned_data.get("not_duplicate"):
        duplicates = alike(form.cleaned_data)
        if duplicates:
            form.add_error(None, "Có thể người này đã có trong sổ (xem danh sách dưới). Hãy mở hồ sơ đó; nếu "
                                 "đúng là người khác, đánh dấu ô xác nhận rồi lưu lại.")
    if request.method == "POST" and form.is_valid():
        try:
            change = run(form.cleaned_data)
        except RegistryEditError as exc:
            form.add_error(exc.field_name if exc.field_name in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã lưu. {change.money}")
            return redirect(done if isinstance(done, str) else done(change))
    return render(request, "registry/edit_form.html", {"form": form, "title": title, "back": back, "intro": intro,
                                                       "duplicates": duplicates},
                  status=422 if request.method == "POST" else 200)


def _alike(commune):
    """Probable duplicates (``registry.duplicates``) by name, birth and place of the person a form describes,
    in ``commune``. A citizen ID or SI number already taken is refused by the service on its own field."""
    from .duplicates import probable_duplicates

    def alike(d):
        return probable_duplicates(full_name=d["full_name"], date_of_birth=d["date_of_birth"], commune=commune)
    return alike


def _others(household, person=None):
    return [p for p in household_people(household=household) if person is None or p.pk != person.pk]


def _pick(people, pk):
    return next((p for p in people if p.pk == pk), None) if pk is not None else None


@login_required
@domain_errors
def person_detail(request, pk: int):
    """Một người: thông tin, hộ, các thao tác và lịch sử (cho người được xem)."""
    person = person_get(user=request.user, pk=pk)
    membership = getattr(person, "household_membership", None)
    can_history = request.user.has_perm("registry.view_registry_history")
    kept = person.kept_record() if person.merged_into_id is not None else None
    return render(request, "registry/person_detail.html", {
        "person": person, "membership": membership, "kept": kept,
        "can_edit": kept is None and request.user.has_perm("registry.change_person"),
        "can_history": can_history, "tab": request.GET.get("tab", ""),
        "history": person_history(user=request.user, person=person) if can_history and request.GET.get("tab") == "lich-su" else None,
        "payments": (person_payment_history(user=request.user, person=person)
                     if request.user.has_perm("collection.view_payment") else None),
    })


@login_required
@domain_errors
def person_edit(request, pk: int):
    person = person_get(user=request.user, pk=pk)
    require_permission(request.user, "registry.change_person")
    if person.merged_into_id is not None:
        return redirect("person_detail", pk=person.pk)
    initial = {name: getattr(person, name) for name in PERSON_FIELDS}
    initial["version"] = services.person_version(person)
    form = PersonEditForm(request.POST or None, initial=initial)
    return _form_page(request, form=form, title=f"Sửa thông tin — {person.full_name}",
                      back=reverse("person_detail", args=[person.pk]), done=reverse("person_detail", args=[person.pk]),
                      run=lambda d: services.person_update(user=request.user, person=person, reason=d["reason"],
                                                           version=d["version"] or None,
                                                           **{n: d[n] for n in PERSON_FIELDS}))


def _leave(request, pk: int, *, death: bool):
    person = person_get(user=request.user, pk=pk)
    require_permission(request.user, "registry.change_person")
    membership = getattr(person, "household_membership", None)
    others = _others(membership.household, person) if membership else []
    form = LeaveForm(request.POST or None, others=others, date_label="Ngày mất" if death else "Ngày chuyển đi")
    service = services.person_death_record if death else services.person_move_out_record
    back = reverse("person_detail", args=[person.pk])
    done = reverse("household_detail", args=[membership.household_id]) if membership else back
    intro = ("Người này rời hộ từ ngày đó. Nếu là chủ hộ, hãy chọn chủ hộ mới. Thẻ BHYT đã đóng tiền vẫn còn "
             "giá trị đến hết hạn; báo giá chờ thu của hộ sẽ bị hủy.")
    return _form_page(request, form=form, back=back, done=done, intro=intro,
                      title=f"{'Ghi nhận đã mất' if death else 'Chuyển đi ngoại tỉnh'} — {person.full_name}",
                      run=lambda d: service(user=request.user, person=person, on=d["on"],
                                            new_head=_pick(others, d["new_head"])))


@login_required
@domain_errors
def person_death(request, pk: int):
    return _leave(request, pk, death=True)


@login_required
@domain_errors
def person_move_out(request, pk: int):
    return _leave(request, pk, death=False)


@login_required
@domain_errors
def person_move(request, pk: int):
    """Chuyển sang hộ khác (mã hộ) từ một ngày."""
    person = person_get(user=request.user, pk=pk)
    require_permission(request.user, "registry.change_household")
    membership = person.household_membership
    others = _others(membership.household, person)
    form = MoveForm(request.POST or None, others=others)

    def run(d):
        to = Household.objects.filter(code=d["to_household"].strip().upper()).first()
        if to is None:
            raise RegistryEditError("Hộ chuyển đến: không có hộ nào mang mã này.", field="to_household")
        return services.household_member_move(user=request.user, person=person, to_household=to, on=d["on"],
                                              relationship=d["relationship"], new_head=_pick(others, d["new_head"]))

    return _form_page(request, form=form, title=f"Chuyển hộ — {person.full_name}", run=run,
                      back=reverse("person_detail", args=[person.pk]),
                      done=reverse("household_detail", args=[membership.household_id]))


def _household_communes(user):
    if role_of(user).role == Role.COLLECTION_AGENT:
        communes = communes_in_scope(user)
    else:
        communes = record_communes_in_scope(user)
    return list(AdministrativeUnit.objects.filter(pk__in=communes.values("pk"), level=Level.COMMUNE).order_by("name"))


@login_required
@domain_errors
def household_create(request):
    """Thêm hộ cùng chủ hộ."""
    require_permission(request.user, "registry.add_household")
    communes = _household_communes(request.user)
    form = HouseholdCreateForm(request.POST or None, communes=communes)

    def run(d):
        commune = _pick(communes, d["commune"])
        if d["head_citizen_id"]:
            existing = person_by_citizen_id(user=request.user, citizen_id=d["head_citizen_id"], field="head_citizen_id")
            return services.household_create(user=request.user, code=d["code"], commune=commune, hamlet=d["hamlet"],
                                             address=d["address"], head=existing)
        head = {n: d[n] for n in PERSON_FIELDS}
        return services.household_create(user=request.user, code=d["code"], commune=commune,
                                         hamlet=d["hamlet"], address=d["address"], new_head=head)

    def alike(d):
        commune = _pick(communes, d["commune"])
        if commune is None or d["head_citizen_id"]:
            return []
        return _alike(commune.pk)(d)

    return _form_page(request, form=form, title="Thêm hộ", back=reverse("household_list"), run=run,
                      done=lambda change: reverse("household_detail", args=[change.subject.pk]), alike=alike)


@login_required
@domain_errors
def household_person_add(request, pk: int):
    """Thêm người vào hộ (trẻ mới sinh, người mới đến)."""
    household = household_get(user=request.user, pk=pk)
    require_permission(request.user, "registry.add_person")
    form = PersonCreateForm(request.POST or None, initial={"hamlet": household.hamlet})
    return _form_page(request, form=form, title=f"Thêm người vào hộ {household.code}",
                      back=reverse("household_detail", args=[household.pk]),
                      done=reverse("household_detail", args=[household.pk]),
                      run=lambda d: services.person_create(user=request.user, household=household,
                                                           relationship=d["relationship"],
                                                           **{n: d[n] for n in PERSON_FIELDS}),
                      alike=_alike(household.commune_id))


@login_required
@domain_errors
def household_existing_person_add(request, pk: int):
    """Thêm vào hộ một người đã có trong sổ nhưng chưa thuộc hộ nào (tìm theo số CCCD)."""
    from .forms_people import ExistingPersonForm

    household = household_get(user=request.user, pk=pk)
    require_permission(request.user, "registry.change_household")
    form = ExistingPersonForm(request.POST or None)

    def run(d):
        person = person_by_citizen_id(user=request.user, citizen_id=d["citizen_id"])
        try:
            change = services.household_member_add(user=request.user, household=household, person=person,
                                                   relationship=d["relationship"], since=d["since"])
        except (e_people.AlreadyInHousehold, e_people.PersonGone, e_people.PersonMergedAway) as exc:
            raise RegistryEditError(exc.message, field="citizen_id") from exc
        change.money = f"Đã thêm {person.full_name} vào hộ {household.code}. {change.money}"
        return change

    return _form_page(request, form=form, title=f"Thêm người đã có trong sổ vào hộ {household.code}",
                      back=reverse("household_detail", args=[household.pk]),
                      done=reverse("household_detail", args=[household.pk]), run=run,
                      intro="Người chưa thuộc hộ nào; người đang ở hộ khác hãy dùng “Chuyển hộ” trên trang của họ.")


@login_required
@domain_errors
def household_head(request, pk: int):
    """Đổi chủ hộ."""
    household = household_get(user=request.user, pk=pk)
    require_permission(request.user, "registry.change_household")
    others = [p for p in household_people(household=household)
              if not household.members.filter(person=p, relationship=Relationship.HEAD).exists()]
    head_id = household.members.filter(relationship=Relationship.HEAD).values_list("person_id", flat=True).first()
    form = HeadChangeForm(request.POST or None, others=others, initial={"expected_head": head_id})
    return _form_page(request, form=form, title=f"Đổi chủ hộ — hộ {household.code}",
                      back=reverse("household_detail", args=[household.pk]),
                      done=reverse("household_detail", args=[household.pk]),
                      run=lambda d: services.household_head_change(
                          user=request.user, household=household, new_head=_pick(others, d["new_head"]),
                          old_head_relationship=d["old_head_relationship"], expected_head_id=d["expected_head"]))


@login_required
@domain_errors
def household_poverty(request, pk: int):
    """Đổi diện hộ theo quyết định."""
    household = household_get(user=request.user, pk=pk)
    require_permission(request.user, "registry.change_poverty_status")
    form = PovertyForm(request.POST or None, initial={"status": household.poverty_status})
    return _form_page(request, form=form, title=f"Đổi diện hộ — hộ {household.code}",
                      back=reverse("household_detail", args=[household.pk]),
                      done=reverse("household_detail", args=[household.pk]),
                      run=lambda d: services.household_poverty_status_change(
                          user=request.user, household=household, status=d["status"], from_date=d["from_date"],
                          decision_number=d["decision_number"], decision_date=d["decision_date"]))


@login_required
@domain_errors
def household_history_page(request, pk: int):
    """Lịch sử của hộ: ai, khi nào, đổi gì (cũ → mới), vì sao."""
    household = household_get(user=request.user, pk=pk)
    return render(request, "registry/history.html", {
        "title": f"Lịch sử hộ {household.code}", "back": reverse("household_detail", args=[household.pk]),
        "entries": household_history(user=request.user, household=household)})


SUGGEST_FIELDS = ["full_name", "date_of_birth", "sex", "citizen_id", "phone", "hamlet"]


@login_required
@domain_errors
def person_suggest(request, pk: int):
    """Chi hội trưởng/tổ trưởng đề xuất sửa thông tin, ghi nhận đã mất hoặc chuyển đi (cán bộ xác nhận)."""
    from .forms_people import SuggestionForm

    person = person_get(user=request.user, pk=pk)
    require_permission(request.user, "registry.add_registrysuggestion")
    form = SuggestionForm(request.POST or None, initial={"kind": "update",
                                                         **{n: getattr(person, n) for n in SUGGEST_FIELDS}})

    def run(d):
        if d["kind"] == "update":
            data = {n: d[n] for n in SUGGEST_FIELDS if d[n] not in (None, "")}
        else:
            data = {"on": d["on"]}
        services.suggestion_create(user=request.user, person=person, kind=d["kind"], data=data, reason=d["reason"])
        return services.RegistryChange(subject=person, money="Đề xuất đã được gửi; cán bộ sẽ xác nhận.")

    return _form_page(request, form=form, title=f"Đề xuất thay đổi — {person.full_name}", run=run,
                      back=reverse("person_detail", args=[person.pk]), done=reverse("person_detail", args=[person.pk]))


@login_required
@domain_errors
def suggestion_list(request):
    """Đề xuất của chi hội trưởng/tổ trưởng chờ cán bộ xác nhận; POST xác nhận hoặc không xác nhận một đề xuất."""
    from .models import RegistrySuggestion
    from .selectors import suggestions_pending

    pending = suggestions_pending(user=request.user)
    if request.method == "POST":
        suggestion = RegistrySuggestion.objects.select_related("person").get(pk=request.POST.get("suggestion", 0))
        try:
            if request.POST.get("action") == "confirm":
                change = services.suggestion_confirm(user=request.user, suggestion=suggestion)
                messages.success(request, f"Đã xác nhận đề xuất. {change.money}")
            else:
                services.suggestion_reject(user=request.user, suggestion=suggestion, note=request.POST.get("note", ""))
                messages.success(request, "Đã ghi không xác nhận đề xuất.")
        except RegistryEditError as exc:
            messages.error(request, exc.message)
        return redirect("suggestion_list")
    rows = [(suggestion, [(HISTORY_LABELS.get(key, "Ngày"), _shown(value)) for key, value in suggestion.data.items()])
            for suggestion in pending]
    return render(request, "registry/suggestions.html", {"rows": rows})


def _shown(value) -> str:
    """A suggested value as shown: ISO dates as dd/mm/yyyy, sexes in Vietnamese."""
    import datetime

    from .models import Sex

    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return f"{datetime.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return dict(Sex.choices).get(value, value)
