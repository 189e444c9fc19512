# ruff: noqa: E501 (the table of keys and test names)
"""Every button on every page is pressed by a browser test (issue 16, Checks).

A button is known by a key that does not depend on the data on the page: what it does (the
method and the address of its form, its htmx request, or the page it scripts) and its
visible label, e.g. ``post /cases/{case}/act/accept | 提交: 受理``.

- The CSP page walk (tests/web/test_csp_browser.py) lists the buttons of every page
  (`page_buttons`) and fails on one missing from PRESSED_BY below.
- Every browser context records the buttons pressed in it (`watch_presses`, through
  conftest.watch_csp); after each browser test, the keys PRESSED_BY gives to that test must
  have been pressed in it (tests/web/conftest.py `pressed_buttons`): the registry cannot
  claim a press that does not happen.

So a new button fails the walk until it is listed here with the test that presses it, and
that test fails if it stops pressing it.
"""

from __future__ import annotations

from typing import Any

# The key of a button (a JavaScript function over the element, used in the page and in the
# recorder alike). Case codes, 12-15 digit place codes, numeric ids and usernames in
# addresses become placeholders; the label is the button's visible text.
BUTTON_KEY_JS = r"""
window.__grButtonKey = (b) => {
  const norm = (address) => {
    let path = new URL(address || location.pathname, location.href).pathname;
    path = path.replace(/XS\d{6}-\d{4}-\d{5}/g, "{lead}").replace(/^\/roster\/[^/]+(?=\/)/, "/roster/{user}")
      .replace(/\d{6}-\d{4}-\d{6}/g, "{case}").replace(/\/\d{9,15}(?=\/|$)/g, "/{place}")
      .replace(/\/\d+(?=\/|$)/g, "/{id}").replace(/^\/admin\/users\/[^/]+/, "/admin/users/{user}")
      .replace(/^\/admin\/units\/[^/]+/, "/admin/units/{unit}")
      .replace(/^\/admin\/categories\/[^/]+/, "/admin/categories/{category}")
      .replace(/^\/admin\/screens\/(?!pair(?:\/|$))[^/]+/, "/admin/screens/{screen}");
    return path;
  };
  const form = b.form;
  let what;
  const hx = ["hx-get", "hx-post"].find((a) => b.hasAttribute(a));
  if (hx) what = hx + " " + norm(b.getAttribute(hx));
  else if (form && b.type === "submit") {
    const method = (b.getAttribute("formmethod") || form.getAttribute("method") || "get");
    const action = b.getAttribute("formaction") || form.getAttribute("action");
    what = method.toLowerCase() + " " + norm(action);
  } else what = "script " + (b.id ? "#" + b.id : "." + (b.classList[0] || "button"));
  // the map tree's buttons are named after places (data): one key for each kind
  const tree = b.classList.contains("tree-show") ? "tree-show" : "tree-leaf";
  if (b.classList.contains("tree-node")) return what + " | " + tree;
  let label = (b.innerText || b.textContent || b.value || "").replace(/\s+/g, " ").trim();
  if (!label) label = b.getAttribute("aria-label") || "";
  return what + " | " + label;
};
"""
BUTTONS_SELECTOR = "button, input[type=submit], input[type=button], input[type=reset]"

PRESS_LISTENER = BUTTON_KEY_JS + (
    """
document.addEventListener("click", (e) => {
  const b = e.target && e.target.closest && e.target.closest(SELECTOR);
  if (b) window.reportButtonPress(window.__grButtonKey(b));
}, true);
""".replace("SELECTOR", repr(BUTTONS_SELECTOR))
)

# Keys pressed in the current test (reset before each browser test by the conftest fixture).
PRESSED: list[str] = []


def watch_presses(context: Any) -> None:
    """Record the buttons pressed in the context's pages in PRESSED (before opening pages)."""
    context.expose_function("reportButtonPress", lambda key: PRESSED.append(str(key)))
    context.add_init_script(PRESS_LISTENER)


def page_buttons(page: Any) -> set[str]:
    """The keys of every button of the current page (in closed <details> too)."""
    page.evaluate("() => {" + BUTTON_KEY_JS + "}")
    keys = page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].map(window.__grButtonKey)",
        BUTTONS_SELECTOR,
    )
    return set(keys)


# The second-factor steps are pressed by conftest.log_in, on the first sign-in of each role
# that must use TOTP on each server (which test that is depends on the order): not checked
# per test, but every run passes through them.
LOGIN = "conftest.py::log_in"
E = "test_every_button_browser.py::"
# button key → the browser test (file::function) that presses it.
PRESSED_BY: dict[str, str] = {
    "post /border/hazards | 保存边界隐患": "test_border_browser.py::test_a_hazard_is_registered_drawn_moved_and_edited",
    "post /border/hazards/{id} | 保存边界隐患": "test_border_browser.py::test_a_hazard_is_registered_drawn_moved_and_edited",
    "post /border/hazards/{id}/status | 变更状态": "test_border_browser.py::test_a_hazard_is_registered_drawn_moved_and_edited",
    "post /border/meetings | 保存会议": "test_border_browser.py::test_a_meeting_is_recorded_edited_and_its_minutes_downloaded",
    "post /border/meetings/{id} | 保存会议": "test_border_browser.py::test_a_meeting_is_recorded_edited_and_its_minutes_downloaded",
    "post /joint/{case}/tasks | 添加分工": "test_joint_browser.py::test_two_townships_share_tasks_and_a_thread",
    "post /joint/{case}/messages | 发送": "test_joint_browser.py::test_two_townships_share_tasks_and_a_thread",
    "post /joint/{case}/tasks/{id}/done | 标记完成": "test_joint_browser.py::test_two_townships_share_tasks_and_a_thread",
    "get /leads | 筛选": "test_grid_work_browser.py::test_zhao_receives_filters_assigns_and_splits_leads",
    "post /leads/new | 接收": "test_grid_work_browser.py::test_zhao_receives_filters_assigns_and_splits_leads",
    "post /leads/{lead}/act/assign | 提交: 分流派遣": "test_grid_work_browser.py::test_zhao_receives_filters_assigns_and_splits_leads",
    "post /leads/{lead}/act/split | 提交: 分办给多个单位": "test_grid_work_browser.py::test_zhao_receives_filters_assigns_and_splits_leads",
    "get /rounds | 筛选": "test_grid_work_browser.py::test_zhao_records_a_round_and_finds_it_by_the_filter",
    "get /stats/board | 查看": "test_board_browser.py::test_a_leader_drills_down_and_back_bookmarks_and_saves_the_view",
    "script .button | 保存为 PNG": "test_board_browser.py::test_a_leader_drills_down_and_back_bookmarks_and_saves_the_view",
    "script .button | 保存为 SVG": "test_board_browser.py::test_a_leader_drills_down_and_back_bookmarks_and_saves_the_view",
    "get /stats/grids | 查看": "test_grid_work_browser.py::test_zhao_keeps_the_roster_and_reads_the_grid_figures",
    "get /roster | 查看": "test_grid_work_browser.py::test_zhao_keeps_the_roster_and_reads_the_grid_figures",
    "post /roster/{user}/phone | 保存": "test_grid_work_browser.py::test_zhao_keeps_the_roster_and_reads_the_grid_figures",
    "post /roster/{user}/trainings | 添加": "test_grid_work_browser.py::test_zhao_keeps_the_roster_and_reads_the_grid_figures",
    "post /rounds/new | 保存排查记录": "test_grid_work_browser.py::test_zhao_records_a_round_and_finds_it_by_the_filter",
    "post /rounds/{id}/matters/{id}/lead | 转为线索": "test_rounds_browser.py::test_a_round_recorded_on_a_phone_registers_its_matter_as_a_case",
    "get /admin/calendar | 查看": E + "test_administration_forms",
    "get /admin/units | 筛选": E + "test_administration_forms",
    "get /audit | 搜索": E + "test_security_and_audit_forms_and_signing_out",
    "get /cases | 筛选": "test_names_browser.py::test_zhao_filters_the_cases_by_picking_a_village_by_name",
    "get /cases/{case} | 查看": "test_story_browser.py::test_a_dispute_from_the_map_to_closed",
    "get /reports/preview | 网页预览": E
    + "test_registering_adds_a_party_row_and_reports_generate_and_preview",
    "script #locate-me | 定位到我的位置": "test_field_register_browser.py::test_register_from_a_phone_with_my_location_and_a_photo",
    "script .sync-discard | 丢弃": "test_offline_browser.py::test_waiting_cases_are_encrypted_a_refused_one_discarded_and_signing_out_clears_the_phone",
    "hx-get /audit/verify | 校验审计链": E + "test_security_and_audit_forms_and_signing_out",
    "post /admin/boundaries | 导入": E + "test_administration_forms",
    "post /ledgers/import | 上传并预览": "test_ledger_import_browser.py::test_a_bad_ledger_shows_its_errors_and_a_good_one_imports",
    "post /ledgers/import/{id}/choose | 重新预览": "test_ledger_import_browser.py::test_a_bad_ledger_shows_its_errors_and_a_good_one_imports",
    "post /ledgers/import/{id}/mapping | 保存映射": "test_ledger_import_browser.py::test_a_bad_ledger_shows_its_errors_and_a_good_one_imports",
    "post /ledgers/import/{id}/run | 导入": "test_ledger_import_browser.py::test_a_bad_ledger_shows_its_errors_and_a_good_one_imports",
    "post /admin/calendar/day | 保存": E + "test_administration_forms",
    "post /admin/calendar/{id} | 保存全年安排": "test_admin_browser.py::test_admin_enters_a_whole_year_with_one_bad_line_first",
    "post /admin/calendar/{id} | 预览": "test_admin_browser.py::test_admin_enters_a_whole_year_with_one_bad_line_first",
    "post /admin/categories/{category} | 保存": E + "test_administration_forms",
    "post /joint/partners/share/{case} | 共享给对方": "test_partners_browser.py::test_zhao_shares_a_case_and_answers_a_partners_case",
    "post /joint/partners/{id}/messages | 发送给对方": "test_partners_browser.py::test_zhao_shares_a_case_and_answers_a_partners_case",
    "post /joint/partners/{id}/sessions | 记录调解": "test_partners_browser.py::test_zhao_shares_a_case_and_answers_a_partners_case",
    "post /joint/partners/{id}/hand | 交办": "test_partners_browser.py::test_zhao_shares_a_case_and_answers_a_partners_case",
    "post /admin/partners | 添加联通单位": "test_partners_browser.py::test_admin_adds_then_disables_and_enables_a_partner",
    "post /admin/partners/{id}/toggle | 停用": "test_partners_browser.py::test_admin_adds_then_disables_and_enables_a_partner",
    "post /admin/partners/{id}/toggle | 启用": "test_partners_browser.py::test_admin_adds_then_disables_and_enables_a_partner",
    "post /admin/partners/key | 生成密钥对": "test_partners_browser.py::test_admin_makes_and_rotates_the_key_and_registers_a_partners_new_key",
    "post /admin/partners/key/rotate | 更换密钥": "test_partners_browser.py::test_admin_makes_and_rotates_the_key_and_registers_a_partners_new_key",
    "post /admin/partners/partner-key | 登记新公钥": "test_partners_browser.py::test_admin_makes_and_rotates_the_key_and_registers_a_partners_new_key",
    "post /admin/partners/outbox/{id}/retry | 重试": "test_partners_browser.py::test_admin_retries_then_cancels_a_document_in_the_outbox",
    "post /admin/partners/outbox/{id}/cancel | 取消发送": "test_partners_browser.py::test_admin_retries_then_cancels_a_document_in_the_outbox",
    "post /admin/notifications/channels | 创建渠道": "test_notifications_browser.py::test_admin_sets_up_a_webhook_and_staff_opt_in",
    "post /admin/notifications/deliveries/{id}/retry | 重试": "test_notifications_browser.py::test_admin_sees_every_kind_in_the_outbox_and_retries_failed_ones",
    "post /admin/notifications/direct/{id}/retry | 重试": "test_notifications_browser.py::test_admin_sees_every_kind_in_the_outbox_and_retries_failed_ones",
    "post /admin/policies/{id}/delete | 删除": E + "test_administration_forms",
    "post /admin/policies | 保存": "test_admin_browser.py::test_admin_edits_a_deadline_policy",
    "post /admin/units | 新建单位": "test_admin_browser.py::test_admin_creates_then_deactivates_a_unit",
    "post /admin/units/{unit} | 保存": E + "test_administration_forms",
    "post /admin/units/{unit}/reactivate | 重新启用": "test_admin_browser.py::test_admin_creates_then_deactivates_a_unit",
    "post /admin/units/{unit}/deactivate | 停用": "test_admin_browser.py::test_admin_creates_then_deactivates_a_unit",
    "post /admin/screens/pair | 生成配对码": "test_screen_browser.py::test_admin_pairs_a_screen_from_the_page_and_the_code_works_once",
    "post /admin/screens/{screen}/preset | 保存": "test_screen_browser.py::test_admin_changes_the_layout_then_revokes_the_screen",
    "post /admin/screens/{screen}/revoke | 撤销": "test_screen_browser.py::test_admin_changes_the_layout_then_revokes_the_screen",
    "post /screen/pair | 配对": "test_screen_browser.py::test_a_case_registered_through_the_api_appears_on_the_screen",
    "post /admin/users | 新建账号": "test_admin_browser.py::test_admin_creates_an_account",
    "post /admin/users/{user}/role | 修改角色": E + "test_security_and_audit_forms_and_signing_out",
    "post /admin/users/{user}/totp-reset | 重置动态口令": E
    + "test_security_and_audit_forms_and_signing_out",
    "post /cases/new | 事件登记": "test_case_edit_browser.py::test_edit_a_case_from_its_page",
    "post /cases/{case}/attachments | 上传": "test_attachments_browser.py::test_photos_and_documents_on_a_phone",
    "post /cases/{case}/act/accept | 提交: 受理": "test_story_browser.py::test_a_dispute_from_the_map_to_closed",
    "post /cases/{case}/act/assign | 提交: 分流派遣": "test_story_browser.py::test_a_dispute_from_the_map_to_closed",
    "post /cases/{case}/act/close | 提交: 结案": "test_story_browser.py::test_a_dispute_from_the_map_to_closed",
    "post /cases/{case}/act/escalate | 提交: 上报": "test_story_browser.py::test_a_dispute_from_the_map_to_closed",
    "post /cases/{case}/act/extend | 提交: 延期": E
    + "test_case_forms_answer_an_empty_submission_beside_the_form",
    "post /cases/{case}/act/follow_up | 提交: 回访": "test_story_browser.py::test_a_dispute_from_the_map_to_closed",
    "post /cases/{case}/act/link | 提交: 关联事件": "test_links_browser.py::test_mark_a_duplicate_and_remove_the_mark",
    "post /cases/{case}/act/reassign | 提交: 改派": "test_hotline_orders_browser.py::test_reassign_then_return_an_order",
    "post /cases/{case}/act/return_order | 提交: 退单": "test_hotline_orders_browser.py::test_reassign_then_return_an_order",
    "post /cases/{case}/act/merge | 提交: 合并重复件": "test_merge_browser.py::test_merge_a_repeat_registration_into_its_primary",
    "post /cases/{case}/act/record_agreement | 提交: 调解协议书": "test_story_browser.py::test_a_dispute_from_the_map_to_closed",
    "post /cases/{case}/act/record_session | 提交: 调解记录": "test_story_browser.py::test_a_dispute_from_the_map_to_closed",
    "post /cases/{case}/act/refer_down | 提交: 交办下派": E
    + "test_case_forms_answer_an_empty_submission_beside_the_form",
    "post /cases/{case}/act/resolve | 提交: 化解办结": "test_story_browser.py::test_a_dispute_from_the_map_to_closed",
    "post /cases/{case}/act/share | 提交: 联调共享": E
    + "test_case_forms_answer_an_empty_submission_beside_the_form",
    "post /cases/{case}/act/suspend | 提交: 中止": E
    + "test_case_forms_answer_an_empty_submission_beside_the_form",
    "post /cases/{case}/act/terminate | 提交: 调解终止": E
    + "test_case_forms_answer_an_empty_submission_beside_the_form",
    "post /cases/{case}/act/unlink | 取消关联": "test_links_browser.py::test_mark_a_duplicate_and_remove_the_mark",
    "post /cases/{case}/agreement/document | 下载调解协议书（PDF）": E
    + "test_case_forms_answer_an_empty_submission_beside_the_form",
    "post /cases/{case}/agreement/document | 下载调解协议书（Word）": "test_agreement_browser.py::test_download_the_agreement_as_word",
    "post /cases/{case}/edit | 保存修改": "test_case_edit_browser.py::test_edit_a_case_from_its_page",
    "post /grids/{place}/posts | 任命": "test_grid_posts_browser.py::test_an_administrator_appoints_hands_over_and_ends_posts",
    "post /grids/{place}/posts/{id}/change | 换人": "test_grid_posts_browser.py::test_an_administrator_appoints_hands_over_and_ends_posts",
    "post /grids/{place}/posts/{id}/end | 免职": "test_grid_posts_browser.py::test_an_administrator_appoints_hands_over_and_ends_posts",
    "post /login | 登录": "test_csp_browser.py::test_pages_before_login_load_without_a_csp_violation",
    # The residents' pages (docs/public.md), pressed on a phone-sized screen
    "script #use-my-location | 使用我的位置": "test_public_browser.py::test_report_receipt_progress_rate_reopen_on_a_phone",
    "post /public/report | 提交": "test_public_browser.py::test_report_receipt_progress_rate_reopen_on_a_phone",
    "post /public/progress | 查询办理进度": "test_public_browser.py::test_report_receipt_progress_rate_reopen_on_a_phone",
    "post /public/progress | 刷新": "test_public_browser.py::test_report_receipt_progress_rate_reopen_on_a_phone",
    "post /public/rating | 提交评价": "test_public_browser.py::test_report_receipt_progress_rate_reopen_on_a_phone",
    "post /public/progress | 查询": "test_public_browser.py::test_a_typed_code_and_a_report_marked_as_spam",
    "post /cases/{case}/act/mark_spam | 提交: 标记无效信息": "test_public_browser.py::test_a_typed_code_and_a_report_marked_as_spam",
    "post /login/totp | 验证": LOGIN,
    "post /login/totp/enrol | 确认绑定": LOGIN,
    "post /login/totp/enrol/start | 开始绑定": LOGIN,
    "post /logout | 退出登录": E + "test_security_and_audit_forms_and_signing_out",
    "post /notifications/read-all | 全部标为已读": "test_notifications_browser.py::test_a_mention_reaches_the_inbox_and_is_read",
    "post /notifications/{id}/read | 标为已读": "test_notifications_browser.py::test_a_mention_reaches_the_inbox_and_is_read",
    "post /reports/generate | 生成并保存": E
    + "test_registering_adds_a_party_row_and_reports_generate_and_preview",
    "post /reports/templates | 上传模板": "test_report_template_browser.py::test_the_upload_form_refuses_an_unsafe_template_and_keeps_a_good_one",
    "script #add-party | 添加当事人": E
    + "test_registering_adds_a_party_row_and_reports_generate_and_preview",
    "script .button | 打印": E + "test_case_forms_answer_an_empty_submission_beside_the_form",
    "script .navbar-burger | 菜单": "test_pages_browser.py::test_phone_menu_opens",
    "script .tree-node | tree-leaf": "test_a11y_browser.py::test_the_map_tree_has_no_nested_controls_and_its_buttons_show_an_area",
    "script .tree-node | tree-show": "test_a11y_browser.py::test_the_map_tree_has_no_nested_controls_and_its_buttons_show_an_area",
}
