#include "demo.h"

#include "directory.h"
#include "i18n.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s >> 11);
}

static int pick(struct rng *r, int n)
{
	return (int)(rnd(r) % (uint32_t)n);
}

static const struct {
	const char *name, *domain, *level, *tz;
} orgs[] = {
	{ "华信银行", "huaxin-bank.cn", "premium", "Asia/Shanghai" },
	{ "东方物流有限公司", "dongfang-logistics.com", "standard", "Asia/Shanghai" },
	{ "市第一人民医院", "hospital1.org.cn", "premium", "Asia/Shanghai" },
	{ "Acme Manufacturing", "acme.example", "basic", "Europe/Berlin" },
	{ "Northwind Retail", "northwind.example", "standard", "America/New_York" },
};

static const struct {
	const char *name, *version;
	int org;
} systems[] = {
	{ "核心业务系统", "3.2.1", 0 }, { "网上银行", "5.0.4", 0 }, { "WMS 仓储系统", "2.1.0", 1 },
	{ "运输调度平台", "1.8.3", 1 }, { "HIS 医院信息系统", "7.4.2", 2 }, { "PACS 影像系统", "4.0.0", 2 },
	{ "ERP", "12.3", 3 }, { "Point of Sale", "9.1.7", 4 }, { "Web Shop", "2024.11", 4 },
};

static const struct {
	const char *name, *user, *phone;
	int org;
} contacts[] = {
	{ "张伟", "zhang.wei", "+86 138-0013-8000", 0 }, { "王芳", "wang.fang", "139 1111 2222", 0 },
	{ "李娜", "li.na", "+86 137 2222 3333", 1 }, { "刘洋", "liu.yang", "136 3333 4444", 1 },
	{ "陈静", "chen.jing", "+86 135 4444 5555", 2 }, { "杨磊", "yang.lei", "134 5555 6666", 2 },
	{ "Hans Becker", "h.becker", "+49 30 1234567", 3 }, { "Petra Vogel", "p.vogel", "+49 89 7654321", 3 },
	{ "Mary Johnson", "mjohnson", "+1 212 555 0101", 4 }, { "David Smith", "dsmith", "+1 212 555 0199", 4 },
};

static const char *const operators[][3] = {
	{ "alice", "Alice Wang 王丽", "operator" },
	{ "bob", "Bob Li 李波", "operator" },
	{ "carol", "Carol Zhou 周娟", "supervisor" },
};

static const char *const queues[][2] = {
	{ "Bugs", "缺陷修复 / bug fixes" },
	{ "Security", "安全更新 / security updates" },
	{ "Maintenance", "日常巡检与维护 / inspections and maintenance" },
};

/* Subjects per kind: Chinese and English, as a mixed team writes them. */
static const char *const subjects[KIND_COUNT][6] = {
	[KIND_BUG] = { "登录页面报错 500，无法进入系统", "导出报表时金额合计不正确", "Order sync fails with timeout after upgrade",
		       "打印机驱动更新后单据打印错位", "Search returns no results for names with spaces",
		       "夜间批处理任务中断，日志显示数据库连接超时" },
	[KIND_SECURITY] = { "OpenSSL 安全补丁升级 (CVE-2026-1234)", "Apply kernel security update on app servers",
			    "弱口令排查与整改", "Renew TLS certificate before expiry", "数据库审计日志开启",
			    "Patch Log4j in reporting service" },
	[KIND_FEATURE] = { "希望报表支持按季度筛选", "Add CSV export to the shipment list", "增加短信验证码登录",
			   "Allow bulk upload of price lists", "移动端适配申请", "Dark mode for the dashboard" },
	[KIND_QUESTION] = { "如何重置管理员密码？", "How do I add a new warehouse location?", "软件维保方案的服务范围咨询",
			    "Where can I download last month's invoice?", "系统升级窗口是什么时候？",
			    "Can we extend the maintenance contract?" },
	[KIND_MAINTENANCE] = { "每日巡检：磁盘空间与错误日志", "Monthly database vacuum and index check", "备份恢复演练",
			       "清理临时文件与过期日志", "Quarterly disaster recovery test", "检查服务运行状态" },
};

static const char *const bodies[] = {
	"您好，今天上午开始出现这个问题，影响了整个部门的工作，请尽快处理。谢谢！",
	"Hello, since this morning our users see this problem. It blocks daily work. Please advise.",
	"附件是错误截图。问题可以稳定复现：打开菜单后点击“导出”即可。",
	"We tried restarting the service but the problem came back after about an hour.",
	"按照维保合同约定，请安排工程师远程协助排查。联系人电话见签名。",
	"This is not urgent, but we would like to have it before the end of the quarter.",
};

static const char *const replies[] = {
	"您好，已收到您的问题，我们正在排查，预计今天下班前给您答复。",
	"Thanks for the report. We can reproduce it and are working on a fix.",
	"已定位原因：数据库连接池配置过小。已在测试环境修复，请安排时间验证。",
	"The fix is deployed to the test system. Could you please confirm it works for you?",
	"补丁已安装，服务已重启，监控显示一切正常。",
};

/* The path through the workflow to reach each final status. */
static const enum ticket_status paths[][6] = {
	{ STATUS_NEW, STATUS_COUNT },
	{ STATUS_TRIAGED, STATUS_COUNT },
	{ STATUS_TRIAGED, STATUS_IN_PROGRESS, STATUS_COUNT },
	{ STATUS_TRIAGED, STATUS_IN_PROGRESS, STATUS_WAITING, STATUS_COUNT },
	{ STATUS_IN_PROGRESS, STATUS_IN_REVIEW, STATUS_COUNT },
	{ STATUS_IN_PROGRESS, STATUS_IN_REVIEW, STATUS_TESTING, STATUS_COUNT },
	{ STATUS_IN_PROGRESS, STATUS_RESOLVED, STATUS_COUNT },
	{ STATUS_IN_PROGRESS, STATUS_RESOLVED, STATUS_CLOSED, STATUS_COUNT },
	{ STATUS_IN_PROGRESS, STATUS_RESOLVED, STATUS_REOPENED, STATUS_COUNT },
};

static int build_directory(struct desk *d, struct demo_stats *st, struct wb_err *err)
{
	int rc = WB_OK;
	for (size_t i = 0; i < sizeof orgs / sizeof orgs[0] && rc == WB_OK; i++) {
		struct organisation o = { 0 };
		o.name = (char *)orgs[i].name;
		o.domain = (char *)orgs[i].domain;
		o.sla_level = (char *)orgs[i].level;
		o.contract_start = (char *)"2026-01-01";
		o.contract_end = (char *)"2026-12-31";
		o.timezone = (char *)orgs[i].tz;
		rc = store_org_add(d->store, &o, NULL, err);
		st->orgs++;
	}
	for (size_t i = 0; i < sizeof systems / sizeof systems[0] && rc == WB_OK; i++) {
		struct system_info y = { 0 };
		y.name = (char *)systems[i].name;
		y.version = (char *)systems[i].version;
		y.org = (char *)orgs[systems[i].org].name;
		rc = directory_system_add(d, &y, NULL, err);
		st->systems++;
	}
	for (size_t i = 0; i < sizeof contacts / sizeof contacts[0] && rc == WB_OK; i++) {
		struct contact c = { 0 };
		char *email = xasprintf("%s@%s", contacts[i].user, orgs[contacts[i].org].domain);
		c.name = (char *)contacts[i].name;
		c.email = email;
		c.phone = (char *)contacts[i].phone;
		c.org = (char *)orgs[contacts[i].org].name;
		c.language = (char *)(contacts[i].org < 3 ? "zh_CN" : "en");
		rc = directory_contact_add(d, &c, NULL, err);
		free(email);
		st->contacts++;
	}
	for (size_t i = 0; i < sizeof operators / sizeof operators[0] && rc == WB_OK; i++) {
		struct user u = { 0 };
		u.login = (char *)operators[i][0];
		u.name = (char *)operators[i][1];
		u.email = xasprintf("%s@desk.example", operators[i][0]);
		enum user_role r = ROLE_OPERATOR;
		user_role_parse(operators[i][2], &r, NULL);
		u.role = (int)r;
		struct user existing;
		if (store_user_find(d->store, u.login, &existing, NULL) == WB_OK)
			user_clear(&existing);
		else
			rc = directory_user_add(d, &u, NULL, err);
		free(u.email);
		st->users++;
	}
	for (size_t i = 0; i < sizeof queues / sizeof queues[0] && rc == WB_OK; i++) {
		struct queue_info q = { 0 };
		q.name = (char *)queues[i][0];
		q.description = (char *)queues[i][1];
		rc = directory_queue_add(d, &q, NULL, err);
	}
	return rc;
}

static const char *queue_for(enum ticket_kind k)
{
	switch (k) {
	case KIND_BUG: return "Bugs";
	case KIND_SECURITY: return "Security";
	case KIND_MAINTENANCE: return "Maintenance";
	default: return "General";
	}
}

static int build_ticket(struct desk *d, struct rng *r, wb_time now, struct demo_stats *st, struct wb_err *err)
{
	int ci = pick(r, (int)(sizeof contacts / sizeof contacts[0]));
	int org = contacts[ci].org;
	enum ticket_kind kind = (enum ticket_kind)pick(r, KIND_COUNT);
	char *email = xasprintf("%s@%s", contacts[ci].user, orgs[org].domain);
	/* a system of the requester's organisation */
	int sys = -1;
	for (size_t i = 0; i < sizeof systems / sizeof systems[0]; i++)
		if (systems[i].org == org && (sys < 0 || pick(r, 2)))
			sys = (int)i;
	/* finished work spreads over two months; what is still open mostly arrived this week */
	int path = pick(r, (int)(sizeof paths / sizeof paths[0]));
	bool finished = paths[path][0] == STATUS_IN_PROGRESS && pick(r, 3) != 0 &&
			(paths[path][1] == STATUS_RESOLVED);
	uint32_t span = finished || pick(r, 6) == 0 ? 60u * 86400u : 30u * 3600u;
	wb_time created = now - 60 - (wb_time)(rnd(r) % span);
	struct ticket_draft t;
	ticket_draft_init(&t);
	t.subject = subjects[kind][pick(r, 6)];
	t.body = bodies[pick(r, (int)(sizeof bodies / sizeof bodies[0]))];
	t.requester_email = email;
	t.kind = kind;
	t.priority = 1 + pick(r, 4);
	t.channel = (enum ticket_channel)pick(r, CHANNEL_COUNT);
	t.queue = queue_for(kind);
	t.system = sys >= 0 ? systems[sys].name : NULL;
	t.first.at = created;
	if (kind == KIND_BUG)
		t.affected_version = systems[sys].version;
	int64_t id;
	clock_set_fixed(created);
	int rc = desk_ticket_create(d, &t, &id, err);
	free(email);
	st->tickets++;
	st->messages++;
	/* recent tickets are mostly still new or being triaged */
	if (now - created < 2 * 86400)
		path = pick(r, 3);
	wb_time at = created;
	const char *assignees[] = { "alice", "bob", "carol", NULL };
	const char *who = assignees[pick(r, 4)];
	for (int i = 0; paths[path][i] != STATUS_COUNT && rc == WB_OK; i++) {
		at += 600 + (wb_time)(rnd(r) % 7200u);
		if (at >= now)
			break;
		clock_set_fixed(at);
		/* the first step answers the customer; work starts with an assignee */
		if (i == 0 || (paths[path][i] == STATUS_IN_PROGRESS && who)) {
			struct ticket_change c;
			ticket_change_init(&c);
			c.assignee = paths[path][i] == STATUS_IN_PROGRESS ? who : NULL;
			if (c.assignee)
				rc = desk_ticket_change(d, &id, 1, &c, 0, err);
			if (rc == WB_OK && i == 0) {
				struct desk_message m = { 0 };
				m.kind = MSG_REPLY;
				m.body = replies[pick(r, (int)(sizeof replies / sizeof replies[0]))];
				m.minutes = 5 + pick(r, 60);
				rc = desk_ticket_add_message(d, id, &m, 0, NULL, err);
				st->messages++;
			}
		}
		struct ticket_change c;
		ticket_change_init(&c);
		c.set_status = true;
		c.status = paths[path][i];
		if (rc == WB_OK)
			rc = desk_ticket_change(d, &id, 1, &c, 0, err);
		if (rc == WB_OK && c.status == STATUS_RESOLVED && kind == KIND_BUG) {
			ticket_change_init(&c);
			c.fixed_version = "hotfix-1";
			rc = desk_ticket_change(d, &id, 1, &c, 0, err);
		}
	}
	clock_set_fixed(0);
	return rc;
}

int demo_build(struct desk *d, int tickets, unsigned seed, struct demo_stats *st, struct wb_err *err)
{
	memset(st, 0, sizeof *st);
	int rc = desk_require(d, ROLE_ADMIN, err);
	if (rc)
		return rc;
	struct rng r = { 0x9E3779B97F4A7C15ull ^ seed };
	wb_time now = clock_now();
	if ((rc = store_begin(d->store, err)))
		return rc;
	rc = build_directory(d, st, err);
	for (int i = 0; i < tickets && rc == WB_OK; i++)
		rc = build_ticket(d, &r, now, st, err);
	clock_set_fixed(0);
	if (rc) {
		store_rollback(d->store);
		return rc;
	}
	return store_commit(d->store, err);
}
