"""The shapes of the fulfilment API: applications, decisions, batches, the ledger, obligations, the audit
trail. Money travels twice, as integer fen (``*_fen``, what the ledger holds) and as exact yuan text
(``*_yuan``, "1234.56", what people read); never as a binary float. Requests are strict and closed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from zhijiao.api.dates import Day
from zhijiao.money import MAX_FEN

Label = dict[str, str]
Fen = Annotated[int, Field(ge=0, le=MAX_FEN, description="分 / integer fen")]
SignedFen = Annotated[int, Field(description="分（冲正、追回为负数）/ integer fen, negative for corrections")]
Yuan = Annotated[str, Field(description="元，精确到分的十进制文本 / exact yuan as decimal text, e.g. 1234.56")]
Id = Annotated[int, Field(ge=1, le=2**62)]


class Request(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- requests ------------------------------------------------------------------------------------------


class ApplicationIn(Request):
    entitlement: str = Field(
        max_length=60,
        description="奖补项目 / the entitlement: art13.part_time_teacher_funding, art20.donation_matching, "
        "art03.platform_award (a platform of the user's school), art07.integration_subsidy",
    )
    entity_code: str = Field(min_length=1, max_length=40, description="学校、企业或平台代码 / the payee's code")
    year: int = Field(ge=2000, le=2100)
    level: str | None = Field(default=None, max_length=20, description="一次性奖补的认定级别 / one-time awards only")
    figures: dict[Annotated[str, Field(max_length=60)], Annotated[str, Field(max_length=30)]] = Field(
        default_factory=dict, max_length=30, description="申报数据，十进制文本 / declared figures as decimal text"
    )
    claimed_fen: Fen | None = None
    note: str | None = Field(default=None, max_length=2000)
    submit: bool = Field(default=False, description="创建后立即提交 / submit at once")


class ReasonIn(Request):
    reason: str = Field(min_length=1, max_length=2000)


class NoteIn(Request):
    note: str = Field(default="", max_length=2000)


class ReviewIn(Request):
    note: str = Field(default="", max_length=2000, description="审核意见；不采用申报数据时为理由 / note, or why")
    figures_basis: Literal["registry", "claimed"] | None = Field(
        default=None,
        description="申报数据与登记数据不一致时必选：claimed 采用申报数据（写入登记库），"
        "registry 采用登记数据（须说明理由）/ required where they differ: claimed (written into the registry) "
        "or registry (with the reason)",
    )
    shown_amount_fen: Fen | None = Field(
        default=None, description="审核人看到的金额；与现行计算不符则拒绝 / the amount seen; refused if it moved"
    )


class ApproveIn(Request):
    shown_amount_fen: Fen | None = Field(
        default=None, description="审批人看到的金额；与县级审核核定金额不符则拒绝 / the amount seen"
    )


class ReleaseIn(Request):
    shown_total_fen: Fen | None = Field(
        default=None, description="拨付人看到的批次合计；与现合计不符则拒绝 / the total seen; refused if it moved"
    )


class ProactiveIn(Request):
    year: int = Field(ge=2000, le=2100)


class BatchIn(Request):
    application_ids: list[Id] = Field(min_length=1, max_length=1000)
    declared_count: int = Field(ge=1, le=100_000)
    declared_total_fen: Fen


class ClawbackIn(Request):
    as_of: Day
    option: str | None = Field(default=None, max_length=10, description="clawback_on_revocation: on | off")


# --- answers -------------------------------------------------------------------------------------------


class AttachmentOut(Answer):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    url: str


class LedgerEntryOut(Answer):
    id: int
    kind: str = Field(description="payment | reversal | clawback")
    award_key: str
    amount_fen: SignedFen
    amount_yuan: Yuan
    payer: str = Field(description="city | county")
    payer_county_code: str | None
    article: str
    entitlement: str
    entity_kind: str
    entity_code: str
    entity_name: str
    county_code: str
    year: int
    level: str | None
    application_id: int | None
    application_number: str | None
    decision_id: int | None
    batch_id: int | None
    payment_number: int = Field(
        description="第几次付款（冲正、追回：所冲减的那次）"
        " / the award's n-th payment (a correction: the one it corrects)"
    )
    reverses_id: int | None
    corrected_by: int | None = Field(description="冲正或追回该笔的台账号 / the correction of this payment")
    reason: str | None
    proposed_by: str | None = Field(description="冲正、追回的提出人 / a correction's proposer")
    recorded_by: str | None = Field(
        description="记账人（冲正、追回：复核人）/ who recorded it (a correction: who confirmed it)"
    )
    recorded_at: dt.datetime


class DecisionOut(Answer):
    id: int
    amount_fen: Fen
    amount_yuan: Yuan
    rule_set: str
    options: dict[str, str]
    inputs: dict[str, Any] = Field(
        description="计算所依据的情形（zhijiao calc 格式）/ the situation it was computed from"
    )
    inputs_digest: str
    explanation: list[dict[str, Any]] = Field(description="审批时固定的计算步骤 / the frozen steps, in the language")
    approved_at: dt.datetime


class HistoryOut(Answer):
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    status_before: str | None
    status_after: str | None
    reason: str | None
    details: dict[str, Any]


class ApplicationOut(Answer):
    id: int
    number: str
    entitlement: str
    entitlement_label: str
    article: str
    entity_kind: str
    entity_code: str
    entity_name: str
    county_code: str
    county: str
    year: int
    level: str | None
    origin: str = Field(description="application | proactive")
    status: str
    status_label: str
    claimed_fen: Fen | None
    claimed_yuan: Yuan | None
    decided_fen: Fen | None
    decided_yuan: Yuan | None
    needs_re_review: bool
    batch_id: int | None
    created_at: dt.datetime


class AmountOut(Answer):
    amount_fen: Fen
    amount_yuan: Yuan
    rule_set: str
    inputs_digest: str
    explanation: list[dict[str, Any]] = Field(description="计算步骤 / the steps, in the language")


class FigureOut(Answer):
    name: str
    label: str
    claimed: str | None = Field(description="申报值（未申报为空）/ as claimed; null when not declared")
    registry: str | None = Field(description="登记值（登记库无数据为空）/ as registered; null when missing")
    differs: bool


class ReviewOut(Answer):
    id: int
    amount_fen: Fen
    amount_yuan: Yuan
    figures_basis: str = Field(description="registry | claimed")
    claimed: dict[str, str]
    registry_before: dict[str, str | None]
    note: str | None
    rule_set: str
    inputs_digest: str
    reviewed_at: dt.datetime


class AssessmentOut(Answer):
    """What the next approval fixes, before it is given."""

    application_id: int
    figures: list[FigureOut]
    differs: bool = Field(description="申报数据与登记数据是否不一致 / whether any claimed figure differs")
    on_registry: AmountOut = Field(description="按登记数据 / on the registry's figures, now")
    on_claimed: AmountOut | None = Field(description="按申报数据 / on the claimed figures, where any differs")
    review: ReviewOut | None = Field(description="县级审核固定的结果，市级审批即批准它 / the county's frozen review")
    changed_since_review: bool = Field(description="审核后数据或规则已变化 / data or rules moved since the review")
    amount_at_stake_fen: Fen | None = Field(
        description="下一步审核或审批将固定的金额（须选择数据来源时为空）/ the amount the next step fixes "
        "(null while the county must still choose the figures)"
    )


class ApplicationDetail(ApplicationOut):
    figures: dict[str, str]
    note: str | None
    review_note: str | None
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    attachments: list[AttachmentOut]
    decision: DecisionOut | None
    history: list[HistoryOut]
    payments: list[LedgerEntryOut]
    actions: list[str] = Field(description="当前用户此刻可办理的事项 / what the caller may do now")


class ApplicationList(Answer):
    total: int
    page: int
    pages: int
    items: list[ApplicationOut]


class NoticeOut(Answer):
    id: int
    application_id: int
    message: str
    created_at: dt.datetime


class ProactiveOut(Answer):
    year: int
    found: int
    created: list[str]
    skipped: int


class BatchOut(Answer):
    id: int
    number: str
    payer: str
    payer_county_code: str | None
    declared_count: int
    declared_total_fen: Fen
    declared_total_yuan: Yuan
    status: str = Field(description="prepared | released (instructed) | closed (reconciled) | cancelled")
    rows_count: int = Field(description="明细笔数 / the rows it holds now (its ledger rows once released)")
    rows_total_fen: Fen
    rows_total_yuan: Yuan
    prepared_by: int
    prepared_at: dt.datetime
    released_by: int | None
    released_at: dt.datetime | None


class InstructionOut(Answer):
    """A payment instruction to the bank (转账) or the budget system (预算指标), with the bank's answer."""

    id: int
    reference: str = Field(description="业务参考号 / what the bank's result file names it by")
    application_id: int
    application_number: str
    batch_id: int
    round: int = Field(description="1 at release; 2 and on when instructed again after a failure")
    replaces: str | None = Field(description="它替代的指令 / the reference of the failed instruction it replaces")
    kind: str = Field(description="transfer | allocation")
    amount_fen: Fen
    amount_yuan: Yuan
    payer: str
    payer_county_code: str | None
    article: str
    purpose: str
    payee_name: str = Field(description="收款单位 / the school or enterprise paid")
    account_name: str | None
    bank_name: str | None
    account_number: str | None = Field(description="finance and the city administrator: whole; others: masked")
    budget_unit_code: str | None
    budget_unit_name: str | None
    status: str = Field(description="outstanding | confirmed | failed | withdrawn")
    created_at: dt.datetime
    settled_at: dt.datetime | None
    bank_date: dt.date | None
    bank_reason: str | None


class StandingOut(Answer):
    count: int
    total_fen: Fen
    total_yuan: Yuan


class ReconciliationOut(Answer):
    """A batch's payments by their latest instruction: one instructed again after a failure counts once."""

    batch_id: int
    batch_number: str
    status: str
    instructed: StandingOut
    confirmed: StandingOut
    failed: StandingOut
    withdrawn: StandingOut
    outstanding: StandingOut
    settled: bool = Field(description="every payment confirmed or withdrawn / the batch can close")


class PayerReconciliationOut(Answer):
    """One payer's released payments by their latest instruction, with the references behind each figure."""

    payer: str = Field(description="city | county")
    payer_county_code: str | None
    instructed: StandingOut
    confirmed: StandingOut
    failed: StandingOut
    withdrawn: StandingOut
    outstanding: StandingOut
    references: dict[str, list[str]] = Field(description="每个状态的业务参考号 / the references behind each figure")


class SettledOut(Answer):
    """What a bank's result file settled: applied whole."""

    confirmed: list[InstructionOut]
    failed: list[InstructionOut]
    closed_batches: list[str]


class ReleaseOut(Answer):
    batch: BatchOut
    released: bool
    instructions: list[InstructionOut] = Field(
        description="一笔一条支付指令；银行确认到账后才记入台账 / one per payment; the ledger follows the bank"
    )
    stale: list[str] = Field(description="登记数据已变化、转重新审批的申报 / approvals sent back for re-review")


class LedgerList(Answer):
    total: int
    page: int
    pages: int
    net_fen: SignedFen
    net_yuan: Yuan
    items: list[LedgerEntryOut]


class CorrectionOut(Answer):
    id: int
    payment_id: int = Field(description="所冲减的付款台账号 / the payment it corrects")
    kind: str = Field(description="reversal | clawback")
    status: str = Field(description="proposed | confirmed | refused | withdrawn")
    amount_fen: SignedFen = Field(description="复核后记入台账的金额（负数）/ what the ledger records once confirmed")
    amount_yuan: Yuan
    entity_kind: str
    entity_code: str
    entity_name: str
    application_number: str | None
    reason: str
    proposed_by: str
    proposed_at: dt.datetime
    decided_by: str | None = Field(description="复核、退回或撤回的人 / who confirmed, refused or withdrew it")
    decided_at: dt.datetime | None
    decision_note: str | None
    entry_id: int | None = Field(description="复核后的冲正或追回台账号 / the correction's ledger entry")


class ClawbackOut(Answer):
    option: str
    proposals: list[CorrectionOut] = Field(
        description="本次新提出的追回申请，待另一名财政人员复核"
        " / claw-backs proposed by this run, each awaiting a second person"
    )


class ObligationLineOut(Answer):
    payer: str
    article: str
    county: str
    year: int
    due_fen: SignedFen
    due_yuan: Yuan
    approved_fen: SignedFen
    approved_yuan: Yuan
    instructed_fen: SignedFen = Field(description="已发出支付指令、银行尚未确认 / with the bank, not yet confirmed")
    instructed_yuan: Yuan
    paid_fen: SignedFen
    paid_yuan: Yuan
    reversed_fen: SignedFen
    reversed_yuan: Yuan
    outstanding_fen: SignedFen
    outstanding_yuan: Yuan


class ObligationsOut(Answer):
    year: int
    county_code: str | None
    lines: list[ObligationLineOut]
    totals: ObligationLineOut


class StatementOut(Answer):
    entity_kind: str
    entity_code: str
    entity_name: str
    entries: list[LedgerEntryOut]
    balance_fen: SignedFen
    balance_yuan: Yuan


class AuditRecordOut(Answer):
    id: int
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    before: Any
    after: Any
    hash: str


class AuditList(Answer):
    total: int
    page: int
    pages: int
    items: list[AuditRecordOut]


class BreakOut(Answer):
    record_id: int
    reason: str


class FindingOut(Answer):
    line: int = Field(description="检查点在文件中的序号 / the checkpoint's place in the file")
    record_id: int
    reason: str


class CheckpointOut(Answer):
    record_id: int
    records: int
    head_hash: str
    anchored_at: dt.datetime
    key_id: str


class VerifyOut(Answer):
    intact: bool
    records: int
    head_hash: str
    first_break: BreakOut | None
    checkpoints: int = Field(default=0, description="对照的检查点个数 / checkpoints held against the chain")
    findings: list[FindingOut] = Field(default_factory=list)
    latest_checkpoint: CheckpointOut | None = None
    unanchored: int | None = Field(default=None, description="最近检查点之后的记录数 / records after it")


class VerifyIn(Request):
    checkpoints: str = Field(
        max_length=1024 * 1024, description="zhijiao audit anchor 写的检查点文件内容 / the checkpoints file's text"
    )
    public_key: str = Field(max_length=4096, description="签署检查点的 Ed25519 公钥（PEM）/ the public key (PEM)")
