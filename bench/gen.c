/* bench/gen.c — builds a realistic desk of N tickets for the benchmark, through the real store code.
 *
 * usage: gen DB N [M]
 * N tickets (about M messages each, default 5; one ticket with 50), mixed Chinese and English text, every kind,
 * status, priority and queue, timestamps over the three years before now, written with
 * store_ticket_insert and store_message_add in transactions of 10,000 tickets, as a bulk load
 * (store_bulk.h: indexes and search entries are built once at the end). The database records
 * what it holds in settings (bench.tickets, bench.long_ticket, bench.rare_word) so bench/run can reuse it.
 * Prints one line of figures ("gen: ...") and a JSON object on the last line. */
#include "config.h"
#include "demo.h"
#include "desk.h"
#include "store_bulk.h"
#include "store_dir.h"
#include "store_ticket.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH 10000
#define SAMPLE 16
#define N_ORGS 60
#define N_CONTACTS 3000
#define YEARS3 (3 * 365 * 86400LL)

static uint64_t rs = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 11);
}

static int pick(int n)
{
	return (int)(rnd() % (uint32_t)n);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of this process: the wall clock lies when other work shares the cores */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *const subj_zh[] = {
	"登录页面报错 500，无法进入系统", "导出报表时金额合计不正确", "打印机驱动更新后单据打印错位",
	"夜间批处理任务中断，数据库连接超时", "OpenSSL 安全补丁升级", "弱口令排查与整改", "数据库审计日志开启",
	"希望报表支持按季度筛选", "增加短信验证码登录", "移动端适配申请", "如何重置管理员密码？",
	"软件维保方案的服务范围咨询", "系统升级窗口是什么时候？", "每日巡检：磁盘空间与错误日志", "备份恢复演练",
	"清理临时文件与过期日志", "检查服务运行状态", "接口调用频繁超时", "库存数量与实际盘点不符",
	"发票打印格式需要调整",
};
static const char *const subj_en[] = {
	"Order sync fails with timeout after upgrade", "Search returns no results for names with spaces",
	"Apply kernel security update on app servers", "Renew TLS certificate before expiry",
	"Patch Log4j in reporting service", "Add CSV export to the shipment list", "Allow bulk upload of price lists",
	"Dark mode for the dashboard", "How do I add a new warehouse location?",
	"Where can I download last month's invoice?", "Can we extend the maintenance contract?",
	"Monthly database vacuum and index check", "Quarterly disaster recovery test", "Slow login on Monday mornings",
	"Nightly import job reports duplicate keys", "Session expires while editing long forms",
};
static const char *const frag_zh[] = {
	"您好，今天上午开始出现这个问题，影响了整个部门的工作，请尽快处理。",
	"附件是错误截图，问题可以稳定复现：打开菜单后点击“导出”即可。",
	"按照维保合同约定，请安排工程师远程协助排查。",
	"已收到您的问题，我们正在排查，预计今天下班前给您答复。",
	"已定位原因：数据库连接池配置过小，已在测试环境修复。",
	"补丁已安装，服务已重启，监控显示一切正常。",
	"请确认问题是否已经解决，如无其他问题我们将关闭工单。",
	"客户反映报表生成很慢，需要优化查询语句。",
	"服务器磁盘使用率超过百分之九十，需要清理日志。",
	"用户权限配置错误，导致部分菜单无法访问。",
	"升级后部分接口返回格式发生变化，请核对。",
	"本周六晚上安排停机维护，预计两个小时。",
};
static const char *const frag_en[] = {
	"Hello, since this morning our users see this problem. Please advise.",
	"We tried restarting the service but the problem came back after about an hour.",
	"This is not urgent, but we would like to have it before the end of the quarter.",
	"Thanks for the report. We can reproduce it and are working on a fix.",
	"The fix is deployed to the test system. Could you please confirm it works for you?",
	"Please find the log excerpt below; the error starts right after the nightly backup.",
	"We will schedule the update in the next maintenance window, please keep the system idle.",
	"The customer called again and asked for an update on this ticket.",
	"Root cause: the connection pool was exhausted by a long running report.",
	"Closing this ticket as the customer confirmed the issue is gone.",
};

static const char *const zh_names[] = { "张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴" };
static const char *const zh_given[] = { "伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "军", "杰", "娟" };
static const char *const en_first[] = { "Mary", "John", "Hans", "Petra", "David", "Anna", "Tom", "Laura" };
static const char *const en_last[] = { "Smith", "Becker", "Vogel", "Johnson", "Miller", "Brown", "Klein" };

/* status weights: about 54% of tickets stay open */
static const int status_w[STATUS_COUNT] = { 8, 8, 12, 8, 6, 6, 16, 30, 6 };
static const int prio_w[4] = { 5, 20, 50, 25 };

static int weighted(const int *w, int n)
{
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += w[i];
	int r = pick(sum);
	for (int i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

struct dir {
	int64_t queue[8];
	int n_queue;
	int64_t user[8];
	int n_user;
	int64_t contact[N_CONTACTS];
	int64_t contact_org[N_CONTACTS];
	int n_contact;
	int64_t org_system[N_ORGS][3];
	int64_t org_id[N_ORGS];
};

static int fail(const char *what, const struct wb_err *err)
{
	fprintf(stderr, "gen: %s: %s\n", what, err->msg);
	return 1;
}

static int build_directory(struct desk *d, struct dir *dir, struct wb_err *err)
{
	struct demo_stats st;
	/* the demo's organisations, systems, contacts, operators and queues */
	if (demo_build(d, 0, 1, &st, err))
		return -1;
	if (store_begin(d->store, err))
		return -1;
	int64_t *org_ids = dir->org_id;
	for (int i = 0; i < N_ORGS; i++) {
		struct organisation o = { 0 };
		char *name = i % 2 ? xasprintf("客户单位 %03d 有限公司", i) : xasprintf("Customer %03d Ltd", i);
		char *dom = xasprintf("cust%03d.example", i);
		o.name = name;
		o.domain = dom;
		o.sla_level = (char *)(i % 3 == 0 ? "premium" : i % 3 == 1 ? "standard" : "basic");
		o.timezone = (char *)"Asia/Shanghai";
		int rc = store_org_add(d->store, &o, &org_ids[i], err);
		for (int k = 0; rc == WB_OK && k < 3; k++) {
			struct system_info y = { 0 };
			y.name = xasprintf("%s %d", k == 0 ? "ERP" : k == 1 ? "仓储系统" : "Web Portal", i);
			y.org_id = org_ids[i];
			y.version = (char *)"1.0";
			rc = store_system_add(d->store, &y, &dir->org_system[i][k], err);
			free(y.name);
		}
		free(name);
		free(dom);
		if (rc)
			return -1;
	}
	for (int i = 0; i < N_CONTACTS; i++) {
		struct contact c = { 0 };
		int org = i % N_ORGS;
		char *name = org % 2 ? xasprintf("%s%s%s", zh_names[pick(10)], zh_given[pick(12)], zh_given[pick(12)])
				     : xasprintf("%s %s", en_first[pick(8)], en_last[pick(7)]);
		char *email = xasprintf("user%d@cust%03d.example", i, org);
		c.name = name;
		c.email = email;
		c.org_id = org_ids[org];
		int rc = store_contact_add(d->store, &c, &dir->contact[i], err);
		dir->contact_org[i] = org;
		free(name);
		free(email);
		if (rc)
			return -1;
	}
	dir->n_contact = N_CONTACTS;
	if (store_commit(d->store, err))
		return -1;
	struct queue_info *q;
	size_t nq;
	if (store_queue_list(d->store, &q, &nq, err))
		return -1;
	for (size_t i = 0; i < nq && dir->n_queue < 8; i++)
		dir->queue[dir->n_queue++] = q[i].id;
	for (size_t i = 0; i < nq; i++)
		queue_info_clear(&q[i]);
	free(q);
	struct user *u;
	size_t nu;
	if (store_user_list(d->store, &u, &nu, err))
		return -1;
	for (size_t i = 0; i < nu && dir->n_user < 8; i++)
		dir->user[dir->n_user++] = u[i].id;
	for (size_t i = 0; i < nu; i++)
		user_clear(&u[i]);
	free(u);
	return 0;
}

/* A message body of about 150-300 bytes, Chinese and English mixed, with reference numbers. */
static char *make_body(int64_t ticket_no, int64_t n_tickets, int k)
{
	struct {
		char buf[1024];
		size_t n;
	} b = { .n = 0 };
	int parts = 2 + pick(2);
	for (int i = 0; i < parts; i++) {
		const char *f = pick(2) ? frag_zh[pick((int)(sizeof frag_zh / sizeof frag_zh[0]))]
					: frag_en[pick((int)(sizeof frag_en / sizeof frag_en[0]))];
		b.n += (size_t)snprintf(b.buf + b.n, sizeof b.buf - b.n, "%s%s", i ? " " : "", f);
	}
	b.n += (size_t)snprintf(b.buf + b.n, sizeof b.buf - b.n, " Ref SO%06u host app%02d.", rnd() % 1000000u,
				pick(40));
	/* a rare word: in about 10 tickets whatever the desk's size */
	int64_t every = n_tickets >= 10 ? n_tickets / 10 : 1;
	if (k == 0 && ticket_no % every == 7 % every)
		snprintf(b.buf + b.n, sizeof b.buf - b.n, " quasar");
	return xstrdup(b.buf);
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: gen DB N [MESSAGES_PER_TICKET]\n");
		return 2;
	}
	const char *path = argv[1];
	long n = atol(argv[2]);
	int per = argc > 3 ? atoi(argv[3]) : 5;
	if (per < 1)
		per = 1;
	int per_lo = per > 2 ? per - 2 : 1, per_hi = 2 * per - per_lo;
	if (n < 1) {
		fprintf(stderr, "gen: N must be at least 1\n");
		return 2;
	}
	remove(path);
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	remove(wal);
	remove(shm);
	free(wal);
	free(shm);
	struct wb_config cfg;
	struct wb_err err = { 0 };
	if (config_load("/dev/null", &cfg, &err))
		return fail("config", &err);
	struct desk *d;
	if (desk_open(&cfg, path, "bench", &d, &err))
		return fail(path, &err);
	struct dir *dir = xcalloc(1, sizeof *dir);
	if (build_directory(d, dir, &err))
		return fail("directory", &err);

	wb_time now = clock_now();
	wb_time start = now - YEARS3;
	int64_t long_no = n / 2 + 1;
	int64_t long_id = 0;
	long n_msgs = 0, n_timed = 0, n_msgs_timed = 0;
	double t0 = now_s(), c0 = cpu_s(), c_ticket = 0, c_msg = 0, c_commit = 0, c = 0;
	/* tickets and messages go in without their search entries, written at the end (store_bulk.h) */
	if (store_bulk_begin(d->store, STORE_BULK_DEFER_INDEXES, &err))
		return fail("bulk load", &err);
	for (long i = 1; i <= n; i++) {
		/* the CPU clock is a system call, too dear around every call: time one ticket in SAMPLE */
		bool timed = i % SAMPLE == 0;
		n_timed += timed;
		if ((i - 1) % BATCH == 0 && store_begin(d->store, &err))
			return fail("begin", &err);
		struct ticket t;
		memset(&t, 0, sizeof t);
		enum ticket_kind kind = (enum ticket_kind)pick(KIND_COUNT);
		int ci = pick(dir->n_contact);
		int org = (int)dir->contact_org[ci];
		char *subject = xasprintf("%s", pick(2) ? subj_zh[pick((int)(sizeof subj_zh / sizeof subj_zh[0]))]
						      : subj_en[pick((int)(sizeof subj_en / sizeof subj_en[0]))]);
		t.subject = subject;
		t.kind = kind;
		t.status = (enum ticket_status)weighted(status_w, STATUS_COUNT);
		t.priority = 1 + weighted(prio_w, 4);
		t.channel = (enum ticket_channel)pick(CHANNEL_COUNT);
		t.queue_id = dir->queue[pick(dir->n_queue)];
		t.requester_id = dir->contact[ci];
		t.org_id = dir->org_id[org];
		t.system_id = pick(4) ? dir->org_system[org][pick(3)] : 0;
		t.assignee_id = pick(5) ? dir->user[pick(dir->n_user)] : 0;
		/* ids grow with time, as on a real desk */
		t.created_at = start + (wb_time)((double)YEARS3 * (double)(i - 1) / (double)n) + pick(3600);
		if (t.created_at > now - 60)
			t.created_at = now - 60;
		t.updated_at = t.created_at + pick(10 * 86400);
		if (t.updated_at > now)
			t.updated_at = now;
		int hours = t.priority == 1 ? 4 : t.priority == 2 ? 8 : t.priority == 3 ? 24 : 72;
		t.response_due = t.created_at + hours * 900;
		t.resolve_due = t.created_at + hours * 3600 * 3;
		if (ticket_status_is_open(t.status) && t.status != STATUS_WAITING) {
			bool responded = t.status != STATUS_NEW && t.status != STATUS_TRIAGED;
			t.sla_due = responded ? t.resolve_due : t.response_due;
			t.sla_risk_at = t.created_at + (t.sla_due - t.created_at) * 3 / 4;
		}
		if (kind == KIND_BUG)
			t.affected_version = (char *)"2.1.0";
		int64_t id;
		if (timed)
			c = cpu_s();
		if (store_ticket_insert(d->store, &t, &id, &err))
			return fail("ticket", &err);
		if (timed)
			c_ticket += cpu_s() - c;
		free(subject);
		int msgs = i == long_no ? 50 : per_lo + pick(per_hi - per_lo + 1);
		if (i == long_no)
			long_id = id;
		wb_time at = t.created_at;
		wb_time span = t.updated_at - t.created_at;
		for (int k = 0; k < msgs; k++) {
			struct message_new m;
			memset(&m, 0, sizeof m);
			m.ticket_id = id;
			if (k == 0) {
				m.kind = t.channel == CHANNEL_PHONE ? MSG_CALL : MSG_INBOUND;
			} else {
				static const enum message_kind later[] = { MSG_REPLY, MSG_INBOUND, MSG_NOTE, MSG_REPLY,
									   MSG_CALL };
				m.kind = later[pick(5)];
			}
			if (m.kind == MSG_INBOUND || (m.kind == MSG_CALL && k == 0))
				m.author_contact_id = dir->contact[ci];
			else
				m.author_user_id = dir->user[pick(dir->n_user)];
			char *body = make_body(i, n, k);
			m.body = body;
			m.minutes = m.kind == MSG_REPLY || m.kind == MSG_NOTE ? 5 + pick(55) : 0;
			m.created_at = at;
			at += msgs > 1 ? span / (msgs - 1) : 0;
			if (timed)
				c = cpu_s();
			if (store_message_add(d->store, &m, NULL, &err))
				return fail("message", &err);
			if (timed) {
				c_msg += cpu_s() - c;
				n_msgs_timed++;
			}
			free(body);
			n_msgs++;
		}
		if (i % BATCH == 0 || i == n) {
			c = cpu_s();
			if (store_commit(d->store, &err))
				return fail("commit", &err);
			c_commit += cpu_s() - c;
			fprintf(stderr, "%sgen: %ld/%ld tickets, %.0f tickets/s%s", isatty(2) ? "\r" : "", i, n,
				(double)i / (now_s() - t0), isatty(2) ? "  " : "\n");
		}
	}
	if (isatty(2))
		fprintf(stderr, "\n");
	double t_load = now_s() - t0, c_load = cpu_s() - c0, t1 = now_s(), c1 = cpu_s();
	int64_t indexed;
	if (store_bulk_end(d->store, &indexed, &err))
		return fail("search index", &err);
	double t_index = now_s() - t1, c_index = cpu_s() - c1;
	double secs = now_s() - t0, cpu = cpu_s() - c0;
	/* scale the sampled call times to every call */
	c_ticket = n_timed ? c_ticket * (double)n / (double)n_timed : 0;
	c_msg = n_msgs_timed ? c_msg * (double)n_msgs / (double)n_msgs_timed : 0;
	char buf[32];
	store_setting_set(d->store, "bench.rare_word", "quasar", &err);
	snprintf(buf, sizeof buf, "%lld", (long long)long_id);
	store_setting_set(d->store, "bench.long_ticket", buf, &err);
	snprintf(buf, sizeof buf, "%d", per);
	store_setting_set(d->store, "bench.messages", buf, &err);
	snprintf(buf, sizeof buf, "%ld", n);
	if (store_setting_set(d->store, "bench.tickets", buf, &err))
		return fail("settings", &err);
	desk_close(&d);
	config_clear(&cfg);
	free(dir);
	struct stat sb;
	long long size = stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
	printf("gen: %ld tickets, %ld messages in %.1f s (%.1f s CPU): load %.1f s (%.1f s CPU: tickets %.1f,"
	       " messages %.1f, commits %.1f), search index %.1f s (%.1f s CPU); %.0f tickets/s, %.0f messages/s;"
	       " database %.0f MB\n", n, n_msgs, secs, cpu, t_load, c_load, c_ticket, c_msg, c_commit, t_index, c_index,
	       n / secs, n_msgs / secs, size / 1e6);
	printf("{\"tickets\": %ld, \"messages\": %ld, \"seconds\": %.2f, \"cpu_seconds\": %.2f,"
	       " \"load_seconds\": %.2f, \"cpu_load\": %.2f, \"cpu_ticket_insert\": %.2f, \"cpu_message_add\": %.2f,"
	       " \"cpu_commit\": %.2f, \"index_seconds\": %.2f, \"cpu_index\": %.2f, \"indexed\": %lld,"
	       " \"tickets_per_s\": %.1f, \"messages_per_s\": %.1f, \"db_bytes\": %lld}\n", n, n_msgs, secs, cpu,
	       t_load, c_load, c_ticket, c_msg, c_commit, t_index, c_index, (long long)indexed, n / secs,
	       n_msgs / secs, size);
	return 0;
}
