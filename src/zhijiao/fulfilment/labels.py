"""The words fulfilment shows for its codes, in both languages (picked with ``pick`` in the templates and
``label`` in the API): where money comes from, what a ledger row is, what an audit record did. The statuses carry
their own words (``fulfilment.states``)."""

from __future__ import annotations

from collections.abc import Mapping

from zhijiao.engine.policy import Policy

Label = Mapping[str, str]

ORIGINS: dict[str, Label] = {
    "application": {"zh": "单位申报", "en": "application"},
    "proactive": {"zh": "免申即享", "en": "proactive award"},
}
PAYERS: dict[str, Label] = {
    "city": {"zh": "市财政", "en": "city finance"},
    "county": {"zh": "县（市、区）财政", "en": "county finance"},
}
LEDGER_KINDS: dict[str, Label] = {
    "payment": {"zh": "拨付", "en": "payment"},
    "reversal": {"zh": "冲正", "en": "reversal"},
    "clawback": {"zh": "追回", "en": "claw-back"},
}
ENTITY_KINDS: dict[str, Label] = {
    "school": {"zh": "学校", "en": "school"},
    "enterprise": {"zh": "企业", "en": "enterprise"},
    "platform": {"zh": "平台", "en": "platform"},
}
ACTIONS: dict[str, Label] = {
    "application.create": {"zh": "创建", "en": "created"},
    "application.submit": {"zh": "提交申报", "en": "submitted"},
    "application.withdraw": {"zh": "撤回", "en": "withdrawn"},
    "application.return_for_information": {"zh": "退回补充材料", "en": "returned for more information"},
    "application.county_approve": {"zh": "县级审核通过", "en": "reviewed by the county"},
    "application.county_reject": {"zh": "县级审核不予通过", "en": "rejected by the county"},
    "application.city_approve": {"zh": "市级审批通过", "en": "approved by the city"},
    "application.figures_accepted": {
        "zh": "采用申报数据，写入登记库",
        "en": "claimed figures accepted into the registry",
    },
    "application.return_to_county": {"zh": "市级退回县级重新审核", "en": "returned to the county for a new review"},
    "application.city_reject": {"zh": "市级审批不予通过", "en": "rejected by the city"},
    "application.schedule_payment": {"zh": "列入拨付批次", "en": "scheduled for payment"},
    "application.unschedule": {"zh": "移出拨付批次", "en": "taken out of its batch"},
    "application.release": {"zh": "发出支付指令", "en": "payment instructed"},
    "application.bank_confirm": {"zh": "银行确认到账", "en": "paid: confirmed by the bank"},
    "application.bank_fail": {"zh": "银行退回支付失败", "en": "payment failed at the bank"},
    "application.reinstruct": {"zh": "重新发出支付指令", "en": "payment instructed again"},
    "application.withdraw_payment": {"zh": "撤回失败的支付，待重新编入批次", "en": "failed payment withdrawn"},
    "payment.returns": {"zh": "导入银行回单", "en": "bank results imported"},
    "batch.close": {"zh": "批次对账结清", "en": "batch reconciled and closed"},
    "application.re_review": {"zh": "登记数据变化，退回县级重新审核", "en": "registry changed: back to the county"},
    "application.reverse_payment": {"zh": "付款冲正，转市级重新审批", "en": "payment reversed: back to the city"},
    "attachment.add": {"zh": "添加附件", "en": "attachment added"},
    "batch.prepare": {"zh": "编制拨付批次", "en": "batch prepared"},
    "batch.release": {"zh": "拨付批次，发出支付指令", "en": "batch released: payments instructed"},
    "batch.cancel": {"zh": "批次取消", "en": "batch cancelled"},
    "ledger.reversal.propose": {"zh": "提出冲正", "en": "reversal proposed"},
    "ledger.reversal": {"zh": "冲正复核记账", "en": "reversal confirmed and recorded"},
    "ledger.reversal.refuse": {"zh": "冲正申请复核退回", "en": "reversal refused"},
    "ledger.reversal.withdraw": {"zh": "撤回冲正申请", "en": "reversal withdrawn"},
    "ledger.clawback.propose": {"zh": "提出追回", "en": "claw-back proposed"},
    "ledger.clawback": {"zh": "追回复核记账", "en": "claw-back confirmed and recorded"},
    "ledger.clawback.refuse": {"zh": "追回申请复核退回", "en": "claw-back refused"},
    "ledger.clawback.withdraw": {"zh": "撤回追回申请", "en": "claw-back withdrawn"},
    "payee.account.propose": {"zh": "提出收款账户变更", "en": "payee account proposed"},
    "payee.account.confirm": {"zh": "收款账户复核生效", "en": "payee account confirmed"},
    "payee.account.refuse": {"zh": "收款账户变更复核退回", "en": "payee account change refused"},
    "payee.account.withdraw": {"zh": "撤回收款账户变更", "en": "payee account change withdrawn"},
    "registry.import": {"zh": "登记数据导入", "en": "registry import"},
    "registry.create": {"zh": "新增登记记录", "en": "registry record added"},
    "registry.update": {"zh": "修改登记记录", "en": "registry record changed"},
    "audit.anchor": {"zh": "签署审计检查点", "en": "audit checkpoint signed"},
    "draft.plan.create": {"zh": "新建起草方案", "en": "plan drafting opened"},
    "draft.version.create": {"zh": "新建文稿版本", "en": "draft version created"},
    "draft.version.publish": {"zh": "定稿发布文稿版本", "en": "draft version published"},
    "draft.article.changes": {"zh": "设定条文的参数与口径修改", "en": "article's parameter and option changes set"},
    "draft.article.edit": {"zh": "修改条文", "en": "article edited"},
    "draft.article.insert": {"zh": "新增条文", "en": "article inserted"},
    "draft.article.merge": {"zh": "合并条文", "en": "articles merged"},
    "draft.article.remove": {"zh": "删除条文", "en": "article removed"},
    "draft.meeting.record": {"zh": "记录会议", "en": "meeting recorded"},
    "draft.unit.add": {"zh": "添加征求意见单位", "en": "consulted unit added"},
    "draft.round.send": {"zh": "发出征求意见", "en": "consultation round sent"},
    "draft.reply": {"zh": "单位反馈意见", "en": "unit replied"},
    "draft.disposition.propose": {"zh": "提出意见采纳情况", "en": "disposition proposed"},
    "draft.disposition.confirm": {"zh": "确认意见采纳情况", "en": "disposition confirmed"},
    "policy.version": {"zh": "政策版本", "en": "policy version"},
    "policy.text.load": {"zh": "载入方案正式文本", "en": "official plan text loaded"},
}
# What an award's history tells of a step besides its states (amounts and sizes are formatted by the page).
HISTORY_DETAILS: dict[str, Label] = {
    "amount_fen": {"zh": "金额", "en": "amount"},
    "batch": {"zh": "拨付批次", "en": "payment batch"},
    "ledger_entry": {"zh": "台账记录号", "en": "ledger entry"},
    "rule_set": {"zh": "计算规则版本", "en": "rules version"},
    "filename": {"zh": "附件", "en": "attachment"},
    "size": {"zh": "大小", "en": "size"},
}
# What an audit record is about, as a reader names it (the registry's tables are named by their own labels).
OBJECTS: dict[str, Label] = {
    "application": {"zh": "申报", "en": "application"},
    "payment_batch": {"zh": "拨付批次", "en": "payment batch"},
    "ledger_entry": {"zh": "台账记录", "en": "ledger entry"},
    "ledger_correction": {"zh": "台账更正", "en": "ledger correction"},
    "payee_account": {"zh": "收款账户", "en": "payee account"},
    "attachment": {"zh": "附件", "en": "attachment"},
    "policy": {"zh": "政策包", "en": "policy package"},
    "plan_text": {"zh": "方案正式文本", "en": "official plan text"},
    "audit_trail": {"zh": "审计记录", "en": "audit trail"},
    "draft_plan": {"zh": "起草方案", "en": "plan in drafting"},
    "draft_version": {"zh": "文稿版本", "en": "draft version"},
    "draft_article": {"zh": "条文", "en": "article"},
    "draft_meeting": {"zh": "会议", "en": "meeting"},
    "consultation_round": {"zh": "征求意见轮次", "en": "consultation round"},
    "unit": {"zh": "征求意见单位", "en": "consulted unit"},
    "feedback_item": {"zh": "反馈意见", "en": "feedback item"},
    "bank_file": {"zh": "银行回单文件", "en": "bank result file"},
}
# The kinds of record the audit page filters by (the first part of an action).
ACTION_AREAS: dict[str, Label] = {
    "application": {"zh": "申报", "en": "applications"},
    "attachment": {"zh": "附件", "en": "attachments"},
    "batch": {"zh": "拨付批次", "en": "payment batches"},
    "ledger": {"zh": "台账", "en": "ledger"},
    "payment": {"zh": "支付", "en": "payments"},
    "payee": {"zh": "收款账户", "en": "payee accounts"},
    "registry": {"zh": "登记数据", "en": "registry"},
    "policy": {"zh": "政策", "en": "policy"},
    "draft": {"zh": "起草", "en": "drafting"},
}


def action_label(action: str) -> Label:
    return ACTIONS.get(action, {"zh": action, "en": action})


def entitlement_label(policy: Policy, entitlement_id: str) -> Label:
    entitlement = policy.entitlements_by_id.get(entitlement_id)
    return entitlement.label if entitlement else {"zh": entitlement_id, "en": entitlement_id}


def article_labels(policy: Policy) -> dict[str, Label]:
    """Each article that pays through fulfilment, named by its entitlement."""
    return {e.article: e.label for e in policy.entitlements}


def level_labels(policy: Policy) -> dict[str, Label]:
    """Certification levels (city, provincial, national) as the policy package names them."""
    labels: dict[str, Label] = {}
    for entitlement in policy.entitlements:
        if entitlement.detail_entity is None:
            continue
        variable = policy.entities[entitlement.detail_entity].input("level")
        if variable is not None:
            for choice in variable.choices:
                labels[choice] = variable.choice_labels.get(choice) or {"zh": choice, "en": choice}
    return labels
