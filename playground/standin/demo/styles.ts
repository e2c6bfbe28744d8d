/** The demo page's CSS: Mattermost's light theme in spirit (fonts, colours, spacing), not a copy of its stylesheet. */
export const DEMO_PAGE_CSS = `
body{font-family:"Open Sans",system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#3f4350;font-size:14px}
header{background:#1e325c;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;opacity:.85;font-size:14px}header code{color:#fff;background:rgba(255,255,255,.15)}
main{padding:16px 24px;max-width:1000px}
section{background:#fff;border-radius:6px;padding:12px 16px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:16px;margin:0 0 8px;color:#1f2328}h2 small{font-weight:normal;color:#6a737d}
.post{display:flex;gap:10px;border-top:1px solid #eaecef;padding:10px 0}.post:first-of-type{border-top:0}
.avatar{flex:none;width:32px;height:32px;border-radius:50%;color:#fff;font-weight:600;display:flex;align-items:center;justify-content:center}
.post-body{flex:1;min-width:0}
.post-header{font-size:13px;display:flex;flex-wrap:wrap;align-items:center;gap:6px}
.author{font-weight:600;color:#1f2328}.time,.edited{color:#8b8f99;font-size:12px}
.bot-tag{background:rgba(63,67,80,.12);border-radius:2px;padding:0 4px;font-size:10px;font-weight:600}
.priority{border-radius:4px;padding:1px 6px;font-size:10px;font-weight:700;text-transform:uppercase;color:#fff}
.priority.important{background:#1c58d9}.priority.urgent{background:#d24b4e}
.message{margin-top:2px;line-height:1.45;overflow-wrap:anywhere}
.message p,.att-text p,.att-pretext p,.att-field-value p{margin:0 0 6px}.message>:last-child{margin-bottom:0}
a{color:#1c58d9;text-decoration:none}a:hover{text-decoration:underline}
code{background:rgba(63,67,80,.08);border-radius:3px;padding:1px 4px;font-size:12.5px;font-family:Menlo,Consolas,monospace;color:#c7254e}
pre{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;padding:8px 10px;overflow:auto}pre code{background:none;color:#24292e;padding:0}
blockquote{margin:4px 0;padding:0 0 0 10px;border-left:4px solid #d0d7de;color:#5d6070}
table{border-collapse:collapse;margin:4px 0}th,td{border:1px solid #d0d7de;padding:4px 10px;text-align:left}th{background:#f6f8fa}
ul,ol{margin:2px 0 6px;padding-left:22px}
.mention{color:#1c58d9;font-weight:600}.mention.channel-wide{background:#fff3bf;border-radius:3px;padding:0 2px}
.emoji{display:inline-block;width:20px;height:20px;vertical-align:-5px;background-repeat:no-repeat;color:transparent;overflow:hidden;font-size:0;user-select:all}
.attachment{position:relative;border:1px solid #e3e4e8;border-left:4px solid #d0d7de;border-radius:4px;padding:8px 12px;margin-top:6px;background:#fff;max-width:640px}
.att-pretext{margin-top:6px}.att-author{font-size:12px;color:#5d6070;display:flex;align-items:center;gap:4px}.att-author img,.att-footer img{width:14px;height:14px}
.att-title{font-weight:700;margin:2px 0}.att-text{margin-top:2px;line-height:1.45}
.att-fields{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:6px}.att-field{flex:1 1 100%}.att-field.short{flex:1 1 calc(50% - 16px)}
.att-field-title{font-weight:700;font-size:13px}.att-thumb{float:right;width:64px;height:64px;margin-left:8px}.att-image{max-width:100%;margin-top:6px}
.att-footer{font-size:11px;color:#8b8f99;margin-top:6px;display:flex;align-items:center;gap:4px;clear:both}
.reactions{margin-top:4px;display:flex;gap:4px}.reaction{border:1px solid #d0d7de;border-radius:10px;padding:0 6px;font-size:12px}
.thread{margin:6px 0 0;border-left:3px solid #d0d7de;padding-left:12px}.thread-count{font-size:12px;color:#1c58d9;font-weight:600}
.empty{color:#6a737d}
`;
