#!/usr/bin/python3
"""Mail figures for `make bench`: messages per second through the mail gate (10,000 messages
through `weibao import mbox`, the gate's own code path in one process, and a sample of separate
`weibao mailgate` processes as a mail server's alias pipe runs it) and through the outbox
(bench/outbox.sh: queued mail sent to a loopback aiosmtpd). Prints one JSON object."""
import json, os, random, subprocess, sys, tempfile, time

wb = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./weibao")
n = int(os.environ.get("BENCH_MAIL_MESSAGES", "10000"))
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subjects = ["打印机无法连接", "Login fails with error 500", "数据库备份失败", "VPN timeout after upgrade",
            "软件维保方案咨询", "Invoice export missing totals"]
out = {"measured": True}
with tempfile.TemporaryDirectory() as t:
    env = dict(os.environ, WEIBAO_USER="bench", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               WEIBAO_CONFIG=os.path.join(t, "config"))
    with open(env["WEIBAO_CONFIG"], "w") as f:
        f.write("[mail]\nmax_new_per_hour = 100000\n")
    rnd = random.Random(1)
    mbox = os.path.join(t, "in.mbox")
    with open(mbox, "w") as f:
        for i in range(n):
            # about a third are replies threaded onto an earlier message
            reply = f"In-Reply-To: <m{rnd.randrange(i)}@example.cn>\n" if i and i % 3 == 0 else ""
            f.write(f"From sender Thu Jan  1 00:00:00 2026\nFrom: user{i % 700}@example{i % 40}.cn\n"
                    f"To: support@localhost\nSubject: {rnd.choice(subjects)} {i}\nMessage-ID: <m{i}@example.cn>\n"
                    f"{reply}Date: Wed, 25 Nov 2026 10:00:00 +0800\nContent-Type: text/plain; charset=utf-8\n\n"
                    f"您好，这是第 {i} 封邮件。Hello, this is message {i}.\n\n> quoted earlier text\n\n")
    db = os.path.join(t, "desk.db")
    subprocess.run([wb, "--db", db, "db", "init"], env=env, check=True, capture_output=True)
    start = time.perf_counter()
    r = subprocess.run([wb, "--db", db, "import", "mbox", mbox], env=env, capture_output=True, text=True)
    secs = time.perf_counter() - start
    if r.returncode != 0 or f"{n} messages" not in r.stdout:
        out["mailgate_reason"] = "import failed: " + (r.stderr or r.stdout).strip()[:200]
    else:
        out["mailgate_per_s"] = n / secs
        out["import_mbox_per_s"] = n / secs
    # separate processes, as a mail server's pipe delivers: a smaller sample
    k = 200
    start = time.perf_counter()
    for i in range(k):
        msg = (f"From: pipe{i}@example.cn\nTo: support@localhost\nSubject: pipe {i}\n"
               f"Message-ID: <p{i}@example.cn>\n\nhello {i}\n").encode()
        subprocess.run([wb, "--db", db, "mailgate"], input=msg, env=env, capture_output=True, check=True)
    out["mailgate_process_per_s"] = k / (time.perf_counter() - start)
    r = subprocess.run(["sh", os.path.join(top, "bench", "outbox.sh"), "500"], env=dict(env, WEIBAO=wb),
                       capture_output=True, text=True)
    if r.returncode == 0 and "outbox_msgs_per_sec" in r.stdout:
        out["outbox_per_s"] = float(r.stdout.split()[-1])
    else:
        out["outbox_reason"] = "bench/outbox.sh: " + (r.stderr or r.stdout).strip()[:200]
print(json.dumps(out))
