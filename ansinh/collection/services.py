"""Payments and receipts: recorded once, append-only, in one transaction with the participation.

A payment must equal the amount due (no silent partial payments). A repeated submission with the
same idempotency key returns the first payment and receipt instead of recording again.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ansinh.accounts.models import Role
from ansinh.accounts.services import require_household_in_scope, require_permission, require_person_in_scope
from ansinh.core.db import SqlInsert, sql_insert, sql_table
from ansinh.core.errors import AnSinhError, OutOfScope, PermissionDenied
from ansinh.core.money import format_vnd
from ansinh.core.words import amount_in_words
from ansinh.enrollment.errors import AlreadyCovered
from ansinh.enrollment.models import HiParticipation, Status, VsiParticipation
from ansinh.enrollment.services import (hi_coverage_activate, hi_enroll, hi_lines_for_payment, hi_payer_name,
                                        hi_quotes_supersede,
                                        participation_check_payable,
                                        participation_lock, participation_status_set, vsi_enroll)

from .errors import (CANCELLED_QUOTE_MESSAGE, KEY_MESSAGE, OTHER_USER_KEY_MESSAGE, PAID_ON_FUTURE, PAID_ON_TOO_OLD,
                     REPLAY_MESSAGE,
                     AlreadyPaid, AmountMismatch, IdempotencyConflict, InvalidAmount, NotReversible,
                     PaymentDateInvalid)
from .models import CollectionOrg, Payment, PaymentMethod, Receipt, ReceiptCounter
from .receipts import format_receipt_number
from .selectors import org_on


REVERSAL_KEY_PREFIX = "reverse-"
"""Keys of reversals; refused for ordinary payments so a chosen key can never block a reversal."""


def _org_for(user_role, *, on: datetime.date) -> CollectionOrg:
    """The organisation a receipt of ``on`` is issued in the name of: the agent's, or its successor when it
    was closed before ``on`` (no query while it is open); for an officer the organisation in force then."""
    if user_role.role == Role.COLLECTION_AGENT:
        return org_on(province_or_org=user_role.agent.org, on=on)
    return org_on(province_or_org=None, on=on)


def payment_date_check(*, paid_on: datetime.date) -> None:
    """The day a payment is recorded for: not after today, not before 2000, and (``ANSINH_MAX_BACKDATE_DAYS``)
    not further back than the back-dating window; older payments are adjusted by an SI officer.
    Raises PaymentDateInvalid (field ``paid_on``). The payment forms and the API check it the same way."""
    today = timezone.localdate()
    if paid_on > today:
        raise PaymentDateInvalid(PAID_ON_FUTURE, field="paid_on")
    if paid_on < datetime.date(2000, 1, 1):
        raise PaymentDateInvalid(field="paid_on")
    days = settings.ANSINH_MAX_BACKDATE_DAYS
    earliest = today - datetime.timedelta(days=days) if days is not None else None
    if earliest and paid_on < earliest:
        raise PaymentDateInvalid(PAID_ON_TOO_OLD.format(earliest=f"{earliest:%d/%m/%Y}", days=days), field="paid_on")


def _check_input(*, amount, method: str, idempotency_key: str) -> None:
    if not idempotency_key or len(idempotency_key) > 64 or idempotency_key.startswith(REVERSAL_KEY_PREFIX):
        raise IdempotencyConflict(KEY_MESSAGE)
    if method not in PaymentMethod.values:
        raise InvalidAmount("Hình thức nộp tiền không hợp lệ.")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount()


def payment_record(*, user, participation: VsiParticipation | HiParticipation, amount, method: str,
                   paid_on: datetime.date, idempotency_key: str,
                   request_hash: str = "") -> tuple[Payment, Receipt, bool]:
    """Record full payment of a quoted participation and issue its receipt, in one transaction.

    ``amount`` is integer VND and must equal ``participation.payable``. A quote priced on another day
    than ``paid_on`` is priced again for ``paid_on`` from its frozen inputs; if the law gives another
    amount that day the quote is out of date (QuoteOutdated, with the new amount) and a new quote is
    needed. Returns ``(payment, receipt, created)``; ``created`` is False when ``idempotency_key`` was
    already used for this participation (a double submit). Raises PermissionDenied, OutOfScope,
    InvalidAmount, AmountMismatch (message shows the amount due), AlreadyPaid, AlreadyCovered,
    QuoteOutdated, PricingError, IdempotencyConflict.

    ``request_hash`` (the API's hash of the normalised request, kept with the key): a key already used
    with another request (another hash, or another participation) is refused with IdempotencyConflict
    and nothing is written, whatever else would be wrong with the repeat.
    """
    user_role = require_permission(user, "collection.add_payment")
    _check_input(amount=amount, method=method, idempotency_key=idempotency_key)
    is_hi = isinstance(participation, HiParticipation)
    try:
        with transaction.atomic():
            locked = participation_lock(participation=participation)
            if is_hi:
                require_household_in_scope(user, locked.household)
            else:
                require_person_in_scope(user, locked.person)
            payment, receipt = _pay(user=user, user_role=user_role, locked=locked, is_hi=is_hi, amount=amount,
                                    method=method, paid_on=paid_on, key=idempotency_key, enrolled_now=False,
                                    request_hash=request_hash)
    except (AnSinhError, IntegrityError) as exc:
        # The key used before (a double submit: the participation is paid already; with a request hash, any
        # refusal of a repeat) or by a concurrent request that committed first (the key's unique index
        # refused ours): answer with its records. Only the rare repeat pays for looking the key up. Scope
        # errors are never answered with another payment's records.
        if isinstance(exc, (OutOfScope, PermissionDenied)) or (
                isinstance(exc, AnSinhError) and not isinstance(exc, AlreadyPaid) and not request_hash):
            raise
        if Payment.objects.filter(idempotency_key=idempotency_key).exists():
            return _existing(participation=participation, is_hi=is_hi, key=idempotency_key,
                             request_hash=request_hash, user=user)
        if isinstance(exc, AnSinhError):
            raise
        raise IdempotencyConflict("Không ghi được khoản thu, vui lòng thử lại.") from None
    participation.status = Status.PAID
    return payment, receipt, True


def _existing(*, participation, is_hi, key, request_hash: str = "", user=None) -> tuple[Payment, Receipt, bool]:
    payment = Payment.objects.select_related("receipt").filter(idempotency_key=key).first()
    if payment is None:
        raise IdempotencyConflict("Không ghi được khoản thu, vui lòng thử lại.")
    _require_same_user(payment=payment, user=user)
    if (payment.hi_id if is_hi else payment.vsi_id) != participation.pk:
        raise IdempotencyConflict()
    _require_same_request(payment=payment, request_hash=request_hash)
    return payment, payment.receipt, False


def _require_same_user(*, payment: Payment, user) -> None:
    """A key is replayed only to the user who recorded its payment: anyone else (who may not read that
    receipt) is refused with IdempotencyConflict, so a guessed or leaked key reveals nothing."""
    if user is not None and payment.recorded_by_id != user.pk:
        raise IdempotencyConflict(OTHER_USER_KEY_MESSAGE)


def _require_same_request(*, payment: Payment, request_hash: str) -> None:
    """A repeat sent with a request hash must carry the hash kept with the key's payment (a payment
    recorded from a page keeps none, so an API request repeating its key is another request)."""
    if request_hash and payment.request_hash != request_hash:
        raise IdempotencyConflict(REPLAY_MESSAGE)


def _pay(*, user, user_role, locked, is_hi, amount, method, paid_on, key, enrolled_now: bool, request_hash: str = ""):
    """Inside the caller's transaction, with ``locked`` locked (or created in this transaction when
    ``enrolled_now``): check, write the payment, the coverage, the status, then the receipt last, so the
    receipt counter of the organisation stays locked for the shortest time."""
    if locked.status == Status.CANCELLED:
        raise AlreadyPaid(CANCELLED_QUOTE_MESSAGE)
    if locked.status != Status.QUOTED:
        raise AlreadyPaid()
    lines = None
    if is_hi:
        lines = hi_lines_for_payment(participation=locked)  # with each member's previous card end
    if not enrolled_now:  # an out-of-date quote is said first, whatever amount was typed
        participation_check_payable(participation=locked, paid_on=paid_on, lines=lines)
    if amount != locked.payable:
        raise AmountMismatch(
            f"Số tiền nộp {format_vnd(amount)} không khớp với số phải đóng {format_vnd(locked.payable)}.",
            due=locked.payable, field="amount",
        )
    # The collector: the agent who took the money, or none when an officer did (the agent's collection book
    # and handover count only their own); campaign progress follows the participation's agent.
    by_agent = user_role.role == Role.COLLECTION_AGENT
    agent = user_role.agent if by_agent else None
    # Payment.objects.create(...) as one hand-written INSERT (core.db.sql_insert: it runs on every payment);
    # IntegrityError when the idempotency key is taken.
    payment = sql_insert(Payment(
        idempotency_key=key, request_hash=request_hash, hi=locked if is_hi else None, vsi=None if is_hi else locked,
        amount=amount, method=method, paid_on=paid_on, agent=agent, recorded_by=user,
    ))
    if is_hi:
        hi_coverage_activate(participation=locked, paid_on=paid_on, lines=lines)
    participation_status_set(participation=locked, status=Status.PAID)
    if is_hi:
        hi_quotes_supersede(participation=locked)
        payer = hi_payer_name(participation=locked, lines=lines)
        items = [{"label": f"BHYT hộ gia đình {locked.months} tháng — {line.person.full_name}", "amount": line.payable}
                 for line in lines]
    else:
        payer = locked.person.full_name
        items = [{"label": f"BHXH tự nguyện {locked.months} tháng từ {locked.from_month:%m/%Y}",
                  "amount": locked.payable}]
    # An agent issues from their own series (their receipt book); an officer from the organisation's.
    receipt = _receipt_issue(payment=payment, org=_org_for(user_role, on=paid_on), agent=agent,
                             series=agent.code if by_agent else "", payer=payer, items=items)
    return payment, receipt


def _next_serial(*, org: CollectionOrg, year: int, series: str) -> int:
    """Take the next receipt serial of ``org``'s ``series`` for ``year``: one ``UPDATE … RETURNING`` that also
    locks the counter row until the transaction ends (the first receipt of a series in a year creates the
    counter). Every payment of the series waits for that lock, so it is taken last."""
    sql = (f"UPDATE {sql_table(ReceiptCounter)} SET last_serial = last_serial + 1 WHERE org_id = %s AND year = %s AND series = %s "
           "RETURNING last_serial")
    with connection.cursor() as cursor:
        cursor.execute(sql, [org.pk, year, series])
        row = cursor.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    ReceiptCounter.objects.create(org=org, year=year, series=series, last_serial=0)
            except IntegrityError:
                pass  # another payment created it first
            cursor.execute(sql, [org.pk, year, series])
            row = cursor.fetchone()
    return row[0]


def _receipt_issue(*, payment: Payment, org: CollectionOrg, agent, series: str, payer: str,
                   items: list[dict]) -> Receipt:
    # Receipt.objects.create(...) as one hand-written INSERT (core.db: every payment issues one), prepared
    # in full before the serial is taken: the series' counter row stays locked from the serial to the
    # commit, and every payment of the series waits for it, so nothing else happens in between.
    year = payment.paid_on.year
    receipt = SqlInsert(Receipt(
        payment=payment, org=org, year=year, series=series, serial=0, number="", payer_name=payer[:100],
        items=items, amount=payment.amount, amount_in_words=amount_in_words(payment.amount),
        issued_on=payment.paid_on, agent=agent,
    ))
    serial = _next_serial(org=org, year=year, series=series)
    receipt.set("serial", serial)
    receipt.set("number", format_receipt_number(org_code=org.code, year=year, serial=serial, series=series))
    return receipt.run()


@transaction.atomic
def payment_reverse(*, user, payment: Payment, reason: str, on: datetime.date) -> Payment:
    """Cancel a payment with a new, negative payment pointing to it; the participation becomes
    ``cancelled`` and the receipt is marked cancelled (``receipt_mark_cancelled``). Raises PermissionDenied, OutOfScope, NotReversible (already reversed, a reversal,
    or no reason given)."""
    require_permission(user, "collection.add_payment")
    participation = payment.hi or payment.vsi
    if payment.hi_id:
        require_household_in_scope(user, participation.household)
    else:
        require_person_in_scope(user, participation.person)
    if not reason.strip():
        raise NotReversible("Phải ghi lý do hủy.")
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.reverses_id or Payment.objects.filter(reverses=locked).exists():
        raise NotReversible()
    reversal = Payment.objects.create(
        idempotency_key=f"{REVERSAL_KEY_PREFIX}{locked.pk}", hi=locked.hi, vsi=locked.vsi, amount=-locked.amount,
        method=locked.method, paid_on=on, agent=locked.agent, recorded_by=user, reverses=locked, reason=reason,
    )
    participation_status_set(participation=participation, status=Status.CANCELLED)
    receipt_mark_cancelled(payment=locked, user=user, reason=reason)
    return reversal


def receipt_mark_cancelled(*, payment: Payment, user, reason: str) -> None:
    """Mark the receipt of ``payment`` cancelled now, by ``user``, for ``reason`` (in the reversal's
    transaction: a reversal without its receipt mark is never committed)."""
    Receipt.objects.filter(payment=payment).update(cancelled_at=timezone.now(), cancelled_by=user,
                                                   cancel_reason=reason[:300])


def _receipt_for_key(*, key: str, hi_household_id: int | None = None, vsi_person_id: int | None = None,
                     request_hash: str = "", user=None):
    """The receipt already issued under ``key`` for this household (HI) or person (VSI), or None when
    the key is unused. Raises IdempotencyConflict when the key was used for something else (or, given a
    ``request_hash``, with another request)."""
    payment = Payment.objects.select_related("receipt", "hi", "vsi").filter(idempotency_key=key).first()
    if payment is None:
        return None
    _require_same_user(payment=payment, user=user)
    same = (payment.hi is not None and payment.hi.household_id == hi_household_id) or (
        payment.vsi is not None and payment.vsi.person_id == vsi_person_id
    )
    if not same:
        raise IdempotencyConflict()
    _require_same_request(payment=payment, request_hash=request_hash)
    return payment.receipt


def _enroll_and_pay(*, user, enroll, amount, method: str, paid_on: datetime.date, idempotency_key: str,
                    owner: dict, request_hash: str = "") -> tuple[Receipt, bool]:
    """Run ``enroll()`` and record its full payment in one transaction, idempotent on the key: a key
    already used for the same ``owner`` (``{"hi_household_id": …}`` or ``{"vsi_person_id": …}``) returns
    its receipt and writes nothing; a concurrent submit that committed first is answered the same way."""
    user_role = require_permission(user, "collection.add_payment")
    _check_input(amount=amount, method=method, idempotency_key=idempotency_key)
    try:
        with transaction.atomic():
            receipt = _receipt_for_key(key=idempotency_key, request_hash=request_hash, user=user, **owner)
            if receipt is not None:
                return receipt, False
            participation = enroll()  # priced on paid_on, checked and written under the owner's lock
            locked = participation_lock(participation=participation)
            _, receipt = _pay(user=user, user_role=user_role, locked=locked,
                              is_hi=isinstance(locked, HiParticipation), amount=amount, method=method,
                              paid_on=paid_on, key=idempotency_key, enrolled_now=True, request_hash=request_hash)
            return receipt, True
    except (IntegrityError, AlreadyCovered) as exc:
        # A concurrent submit with the same key committed first (ours then finds the household or person
        # covered, or the key taken); ours was rolled back. Answer with the first receipt.
        receipt = _receipt_for_key(key=idempotency_key, request_hash=request_hash, user=user, **owner)
        if receipt is not None:
            return receipt, False
        if isinstance(exc, AlreadyCovered):
            raise
        raise IdempotencyConflict("Không ghi được khoản thu, vui lòng thử lại.") from None


def hi_enroll_and_pay(*, user, household, months: int, amount, method: str, paid_on: datetime.date,
                      idempotency_key: str, referred_by=None, request_hash: str = "") -> tuple[Receipt, bool]:
    """Enrol a household in HI for ``months`` priced on ``paid_on`` and record its full payment, in one
    transaction. Returns ``(receipt, created)``; a repeat with the same ``idempotency_key`` returns the
    first receipt with ``created`` False and writes nothing. ``referred_by``: who persuaded the household
    (người vận động), kept on the participation. Raises PermissionDenied, OutOfScope,
    NoEligibleMembers, PricingError, AlreadyCovered, InvalidAmount, AmountMismatch, IdempotencyConflict;
    on any error nothing is written. ``request_hash``: as ``payment_record``'s."""
    require_permission(user, "collection.add_payment")
    require_household_in_scope(user, household)
    return _enroll_and_pay(
        user=user, amount=amount, method=method, paid_on=paid_on, idempotency_key=idempotency_key,
        owner={"hi_household_id": household.pk}, request_hash=request_hash,
        enroll=lambda: hi_enroll(user=user, household=household, months=months, on=paid_on,
                                 referred_by=referred_by),
    )


def vsi_enroll_and_pay(*, user, person, income: int, months: int, payment_mode: str, amount, method: str,
                       paid_on: datetime.date, idempotency_key: str, referred_by=None,
                       request_hash: str = "") -> tuple[Receipt, bool]:
    """Enrol a person in VSI (months placed by ``enrollment.services.vsi_months_place``, priced on
    ``paid_on``) and record its full payment, in one transaction; idempotent on ``idempotency_key`` like
    ``hi_enroll_and_pay``; ``referred_by``: who persuaded the person (người vận động).
    Raises PermissionDenied, OutOfScope, NotEligible, PricingError, AlreadyCovered, InvalidAmount,
    AmountMismatch, IdempotencyConflict; on any error nothing is written."""
    require_permission(user, "collection.add_payment")
    require_person_in_scope(user, person)
    return _enroll_and_pay(
        user=user, amount=amount, method=method, paid_on=paid_on, idempotency_key=idempotency_key,
        owner={"vsi_person_id": person.pk}, request_hash=request_hash,
        enroll=lambda: vsi_enroll(user=user, person=person, income=income, months=months,
                                  payment_mode=payment_mode, on=paid_on, referred_by=referred_by),
    )
