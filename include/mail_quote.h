/* mail_quote.h — folding the quoted earlier conversation out of a reply's text. */
#ifndef WB_MAIL_QUOTE_H
#define WB_MAIL_QUOTE_H

/* Splits text into what the sender wrote (*visible) and the quoted history (*quoted, "" when none).
 * The history starts at the first "On … wrote:", "在 … 写道：", "-----Original Message-----",
 * "原始邮件" separator, or Outlook header block (From:/Sent:/To:/Subject:, 发件人:/发送时间:/收件人:/主题:,
 * 寄件者:/寄件日期:); everything from there down is quoted. Lines starting with ">" above it are
 * quoted too. When nothing would stay visible (a bottom-posted reply), only the ">" lines and the
 * attribution line are folded. Both strings are newly allocated; the caller frees them. */
void mail_quote_split(const char *text, char **visible, char **quoted);

#endif
