<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>Admin</name>
    <message>
        <source>密码至少8位，同时含有字母和数字；两次输入须一致。民警首次登录时须改为自己的密码</source>
        <translation>At least 8 characters, with letters and digits; type it the same twice. The officer changes it to their own at the first sign-in</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>请填写：{0}</source>
        <translation>Please fill in: {0}</translation>
    </message>
    <message>
        <source>第 2 步，共 3 步：第一位管理员</source>
        <translation>Step 2 of 3: the first administrator</translation>
    </message>
    <message>
        <source>带 * 的必须填写。管理员管理本站的民警、登记、备份和设置</source>
        <translation>Fields marked * are required. The administrator keeps the station&apos;s officers, enrolment, backups and settings</translation>
    </message>
    <message>
        <source>警号 *</source>
        <translation>Police number *</translation>
    </message>
    <message>
        <source>姓名 *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>密码 *</source>
        <translation>Password *</translation>
    </message>
    <message>
        <source>再次输入密码 *</source>
        <translation>Password again *</translation>
    </message>
    <message>
        <source>密码至少8位，同时含有字母和数字；管理员不办理证明、不审批</source>
        <translation>At least 8 characters, with letters and digits. The administrator neither issues certificates nor approves.</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords differ</translation>
    </message>
</context>
<context>
    <name>AdministrationWindow</name>
    <message>
        <source>本站管理</source>
        <translation>Station administration</translation>
    </message>
    <message>
        <source>民警(&amp;1)</source>
        <translation>Officers (&amp;1)</translation>
    </message>
    <message>
        <source>省级登记(&amp;2)</source>
        <translation>Enrolment (&amp;2)</translation>
    </message>
    <message>
        <source>备份与恢复(&amp;3)</source>
        <translation>Backup and restore (&amp;3)</translation>
    </message>
    <message>
        <source>证明目录(&amp;4)</source>
        <translation>Catalog (&amp;4)</translation>
    </message>
    <message>
        <source>本机设置(&amp;5)</source>
        <translation>This PC (&amp;5)</translation>
    </message>
    <message>
        <source>同步冲突(&amp;6)</source>
        <translation>Sync conflicts (&amp;6)</translation>
    </message>
    <message>
        <source>恢复密钥(&amp;7)</source>
        <translation>Recovery key (&amp;7)</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>正在载入所领导名单…</source>
        <translation>Loading the supervisors…</translation>
    </message>
    <message>
        <source>所领导审批</source>
        <translation>Supervisor&apos;s approval</translation>
    </message>
    <message>
        <source>审批的所领导</source>
        <translation>Approving supervisor</translation>
    </message>
    <message>
        <source>所领导本人密码</source>
        <translation>Supervisor&apos;s own password</translation>
    </message>
    <message>
        <source>本站没有可审批的所领导</source>
        <translation>No supervisor at this station can approve</translation>
    </message>
    <message>
        <source>由所领导本人选择姓名并输入密码</source>
        <translation>The supervisor picks their own name and types their password</translation>
    </message>
    <message>
        <source>请所领导输入本人密码</source>
        <translation>The supervisor must type their own password</translation>
    </message>
    <message>
        <source>正在核验…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>AuditWindow</name>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>经办民警</source>
        <translation>Officer</translation>
    </message>
    <message>
        <source>审批人</source>
        <translation>Approver</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>改动</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>审计记录</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>日期(&amp;D)</source>
        <translation>&amp;Dates</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>经办民警警号(&amp;O)</source>
        <translation>&amp;Officer&apos;s police number</translation>
    </message>
    <message>
        <source>操作(&amp;A)</source>
        <translation>&amp;Action</translation>
    </message>
    <message>
        <source>操作名称的开头，如 officer. 为民警账号的所有改动</source>
        <translation>The start of an action&apos;s name, e.g. officer. for every change to officers&apos; accounts</translation>
    </message>
    <message>
        <source>查询(&amp;Q)</source>
        <translation>&amp;Query</translation>
    </message>
    <message>
        <source>核对审计链(&amp;V)</source>
        <translation>&amp;Verify the chain</translation>
    </message>
    <message>
        <source>导出(&amp;E)…</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <source>起始日期晚于截止日期</source>
        <translation>The first date is after the last</translation>
    </message>
    <message>
        <source>共 {0} 条，显示最新的 {1} 条</source>
        <translation>{0} events, the newest {1} shown</translation>
    </message>
    <message>
        <source>共 {0} 条</source>
        <translation>{0} events</translation>
    </message>
    <message>
        <source>审计链完整：共核对 {0} 条</source>
        <translation>The audit chain is whole: {0} events checked</translation>
    </message>
    <message>
        <source>审计核对未通过：{0}</source>
        <translation>The audit check failed: {0}</translation>
    </message>
    <message>
        <source>核对审计链</source>
        <translation>Verify the audit chain</translation>
    </message>
    <message>
        <source>正在逐条核对审计记录…</source>
        <translation>Checking every audit event…</translation>
    </message>
    <message>
        <source>正在核对审计链，请稍候</source>
        <translation>Verifying the audit chain; please wait</translation>
    </message>
    <message>
        <source>导出审计记录</source>
        <translation>Export the audit trail</translation>
    </message>
    <message>
        <source>已导出 {0} 条：{1}。该文件未加密，含有个人信息：请妥善保管，用毕删除</source>
        <translation>Exported {0} events: {1}. The file is not encrypted and holds personal data: keep it safe and delete it after use</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>导出正在进行，请稍候</source>
        <translation>An export is running; please wait</translation>
    </message>
</context>
<context>
    <name>BackupTab</name>
    <message>
        <source>备份文件含本站加密的数据库、密钥槽和签名密钥：在本机或新电脑上用民警密码或恢复密钥打开。请备份到U盘等另一处介质，妥善保管。恢复时先核对备份(密钥、完整性、审计链)，再替换本机数据；当前数据另存一份，所有民警须重新登录。</source>
        <translation>A backup holds the station&apos;s encrypted database, key slots and signing key: it opens on this PC or a new one with an officer&apos;s password or the recovery key. Back up to another medium (a USB stick) and keep it safe. A restore checks the backup first (key, integrity, audit chain), then replaces this PC&apos;s data; the current data is kept as a copy, and every officer signs in again.</translation>
    </message>
    <message>
        <source>备份到文件(&amp;B)…</source>
        <translation>&amp;Back up to a file…</translation>
    </message>
    <message>
        <source>从备份恢复(&amp;R)…</source>
        <translation>&amp;Restore from a backup…</translation>
    </message>
    <message>
        <source>备份到文件</source>
        <translation>Back up to a file</translation>
    </message>
    <message>
        <source>备份完成：{0}</source>
        <translation>Backed up: {0}</translation>
    </message>
    <message>
        <source>备份</source>
        <translation>Backup</translation>
    </message>
    <message>
        <source>正在备份本站数据…</source>
        <translation>Backing up the station&apos;s data…</translation>
    </message>
    <message>
        <source>备份正在进行，请稍候</source>
        <translation>A backup is running; please wait</translation>
    </message>
    <message>
        <source>选择备份文件</source>
        <translation>Choose the backup file</translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <source>用备份 {0} 替换本机数据？当前数据先另存一份；恢复后所有民警须重新登录。</source>
        <translation>Replace this PC&apos;s data with the backup {0}? The current data is kept as a copy first; after the restore every officer signs in again.</translation>
    </message>
    <message>
        <source>恢复完成，原数据另存为 {0}。请重新登录。</source>
        <translation>Restored; the data before is kept as {0}. Please sign in again.</translation>
    </message>
    <message>
        <source>备份的密钥</source>
        <translation>The backup&apos;s key</translation>
    </message>
    <message>
        <source>该备份用另一把数据密钥加密：请输入本人在备份中的密码</source>
        <translation>This backup is encrypted under another data key: type your password as the backup knows it</translation>
    </message>
    <message>
        <source>恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>正在核对并恢复备份…</source>
        <translation>Checking and restoring the backup…</translation>
    </message>
    <message>
        <source>恢复正在进行，请稍候</source>
        <translation>A restore is running; please wait</translation>
    </message>
</context>
<context>
    <name>CatalogTab</name>
    <message>
        <source>安装目录文件(&amp;I)…</source>
        <translation>&amp;Install a catalog file…</translation>
    </message>
    <message>
        <source>恢复内置目录(&amp;D)</source>
        <translation>Back to the built-in &amp;default</translation>
    </message>
    <message>
        <source>在用目录：{0}
编号 {1}，版本 {2}，共 {3} 种证明
依据：{4}
SHA-256：{5}</source>
        <translation>Catalog in use: {0}
Id {1}, version {2}, {3} kinds of certificate
Basis: {4}
SHA-256: {5}</translation>
    </message>
    <message>
        <source>选择目录文件</source>
        <translation>Choose the catalog file</translation>
    </message>
    <message>
        <source>省级签名已核验</source>
        <translation>the province&apos;s signature checked</translation>
    </message>
    <message>
        <source>未经省级签名</source>
        <translation>not signed by the province</translation>
    </message>
    <message>
        <source>内置目录</source>
        <translation>the built-in catalog</translation>
    </message>
    <message>
        <source>已启用目录 {0} 版本 {1}({2})</source>
        <translation>Catalog {0} version {1} in use ({2})</translation>
    </message>
    <message>
        <source>启用目录：{0}</source>
        <translation>Install the catalog: {0}</translation>
    </message>
</context>
<context>
    <name>CertificateView</name>
    <message>
        <source>证明 {0}</source>
        <translation>Certificate {0}</translation>
    </message>
    <message>
        <source>补打(&amp;R)</source>
        <translation>&amp;Reprint</translation>
    </message>
    <message>
        <source>作废(&amp;V)</source>
        <translation>&amp;Void</translation>
    </message>
    <message>
        <source>补打</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>补打理由</source>
        <translation>Reason for the reprint</translation>
    </message>
    <message>
        <source>补打证明 {0}：{1}</source>
        <translation>Reprint certificate {0}: {1}</translation>
    </message>
    <message>
        <source>已补打第 {0} 份：请在预览中打印</source>
        <translation>Copy {0} reprinted: print it from the preview</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>作废理由</source>
        <translation>Reason for voiding</translation>
    </message>
    <message>
        <source>作废证明 {0}：{1}</source>
        <translation>Void certificate {0}: {1}</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
</context>
<context>
    <name>ConflictsTab</name>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>省级说明</source>
        <translation>The province says</translation>
    </message>
    <message>
        <source>产生时间</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>已核实处理(&amp;H)…</source>
        <translation>&amp;Handled…</translation>
    </message>
    <message>
        <source>待处理的冲突 {0} 条</source>
        <translation>{0} conflicts to handle</translation>
    </message>
    <message>
        <source>没有待处理的冲突</source>
        <translation>No conflict to handle</translation>
    </message>
    <message>
        <source>没有选中的冲突</source>
        <translation>No conflict selected</translation>
    </message>
    <message>
        <source>处理冲突</source>
        <translation>Handle a conflict</translation>
    </message>
    <message>
        <source>第 {0} 条：核实与处理说明</source>
        <translation>No. {0}: what was checked and done</translation>
    </message>
</context>
<context>
    <name>DecisionWizard</name>
    <message>
        <source>证明要求</source>
        <translation>Requests</translation>
    </message>
</context>
<context>
    <name>EnrolmentTab</name>
    <message>
        <source>省级下发的一次性登记码，20位</source>
        <translation>The one-time code from the province, 20 characters</translation>
    </message>
    <message>
        <source>省级服务器地址(&amp;S)</source>
        <translation>Province &amp;server</translation>
    </message>
    <message>
        <source>登记码(&amp;C)</source>
        <translation>Enrolment &amp;code</translation>
    </message>
    <message>
        <source>登记(&amp;E)</source>
        <translation>&amp;Enrol</translation>
    </message>
    <message>
        <source>本工作站尚未登记到省级服务器：记录保存在本机，登记后才能上报和核验。</source>
        <translation>This workstation is not enrolled with the province: records stay on this PC; they are pushed and verifiable once it is enrolled.</translation>
    </message>
    <message>
        <source>已登记：{0}
派出所 {1}，第 {2} 号工作站，登记于 {3}
省级公钥指纹：{4}(与登记码末8位一致)</source>
        <translation>Enrolled: {0}
Station {1}, workstation {2}, enrolled on {3}
Province key fingerprint: {4} (the last 8 characters of the enrolment code)</translation>
    </message>
    <message>
        <source>请填写省级服务器地址和登记码</source>
        <translation>Please fill in the province server and the enrolment code</translation>
    </message>
    <message>
        <source>登记完成：本工作站的记录将上报省级服务器</source>
        <translation>Enrolled: this workstation&apos;s records go to the province</translation>
    </message>
    <message>
        <source>更换省级公钥并重新登记：{0}</source>
        <translation>Replace the province key and enrol again: {0}</translation>
    </message>
    <message>
        <source>正在向省级服务器登记…</source>
        <translation>Enrolling with the province…</translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <source>填写证明</source>
        <translation>Fill in the certificate</translation>
    </message>
    <message>
        <source>读取身份证(&amp;R)</source>
        <translation>&amp;Read ID card</translation>
    </message>
    <message>
        <source>出具证明并存档(&amp;I)</source>
        <translation>&amp;Issue and archive</translation>
    </message>
    <message>
        <source>缺少材料：出具一次性告知书(&amp;M)</source>
        <translation>&amp;Missing materials: one-time notice</translation>
    </message>
    <message>
        <source>材料齐全(&amp;K)</source>
        <translation>All papers seen (&amp;K)</translation>
    </message>
    <message>
        <source>预览并打印(&amp;V)</source>
        <translation>Pre&amp;view and print</translation>
    </message>
    <message>
        <source>(可不填)</source>
        <translation> (optional)</translation>
    </message>
    <message>
        <source>告知申请人的办结日期(目录未规定时限)</source>
        <translation>Day told to the applicant (the catalog sets no limit)</translation>
    </message>
    <message>
        <source>已提供：{0}</source>
        <translation>Provided: {0}</translation>
    </message>
    <message>
        <source>已读取身份证：{0}</source>
        <translation>ID card read: {0}</translation>
    </message>
    <message>
        <source>材料已核对齐全</source>
        <translation>Every paper checked</translation>
    </message>
    <message>
        <source>请先改正标红的内容</source>
        <translation>Please correct the fields marked in red first</translation>
    </message>
    <message>
        <source>请核对材料：群众已带的逐项勾选(空格键)，或按 Alt+K 确认材料齐全；缺少的，按 Alt+M 出具一次性告知书</source>
        <translation>Check the papers: tick each one brought (Space), or Alt+K when all are there; for what is missing, Alt+M gives the one-time notice</translation>
    </message>
    <message>
        <source>办结日期应为 YYYY-MM-DD</source>
        <translation>The day should be YYYY-MM-DD</translation>
    </message>
    <message>
        <source>特事特办：{0}</source>
        <translation>Special case: {0}</translation>
    </message>
    <message>
        <source>正在出具…</source>
        <translation>Issuing…</translation>
    </message>
    <message>
        <source>已出具：编号 {0}</source>
        <translation>Issued: serial {0}</translation>
    </message>
    <message>
        <source>已受理，需调查核实：{0} 前办结；已出具受理回执</source>
        <translation>Accepted for investigation: due by {0}; acceptance receipt issued</translation>
    </message>
    <message>
        <source>所列材料都已勾选：没有缺少的材料</source>
        <translation>Every paper listed is ticked: nothing is missing</translation>
    </message>
    <message>
        <source>已出具一次性告知书 {0}</source>
        <translation>One-time notice {0} issued</translation>
    </message>
</context>
<context>
    <name>InquiryDialog</name>
    <message>
        <source>核查请求 {0}</source>
        <translation>Inquiry {0}</translation>
    </message>
    <message>
        <source>请求单位</source>
        <translation>Requesting unit</translation>
    </message>
    <message>
        <source>被核查人</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>核查事项</source>
        <translation>Information asked</translation>
    </message>
    <message>
        <source>法律依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <source>请求单位案号</source>
        <translation>Unit&apos;s case number</translation>
    </message>
    <message>
        <source>答复期限</source>
        <translation>Answer due</translation>
    </message>
    <message>
        <source>{0}(剩余工作日：{1})</source>
        <translation>{0} (working days left: {1})</translation>
    </message>
    <message>
        <source>签名答复(&amp;A)</source>
        <translation>Sign and &amp;answer</translation>
    </message>
    <message>
        <source>不予答复(&amp;D)…</source>
        <translation>&amp;Decline…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>查询户籍档案后，按下列字段答复(* 为查有此人时必填)：</source>
        <translation>Look the person up in the register, then answer in these fields (* required when the person is found):</translation>
    </message>
    <message>
        <source>不予答复</source>
        <translation>Decline</translation>
    </message>
    <message>
        <source>理由(请求单位将看到)：</source>
        <translation>Reason (the requesting unit will read it):</translation>
    </message>
</context>
<context>
    <name>KindPage</name>
    <message>
        <source>所要证明</source>
        <translation>Certificate asked for</translation>
    </message>
    <message>
        <source>按群众或单位的说法输入：名称、别名或拼音首字母(如 qsgx)</source>
        <translation>Type it as the citizen or unit says it: name, alias or pinyin initials (e.g. qsgx)</translation>
    </message>
    <message>
        <source>目录中没有的证明也可以直接输入，按目录外证明处理</source>
        <translation>A certificate not in the catalog may be typed too; it is handled as outside the list</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>不予出具</source>
        <translation>Abolished</translation>
    </message>
    <message>
        <source>信息交换</source>
        <translation>Information exchange</translation>
    </message>
    <message>
        <source>出具</source>
        <translation>Issue</translation>
    </message>
    <message>
        <source>逾期 {0} 个工作日</source>
        <translation>{0} working days overdue</translation>
    </message>
    <message>
        <source>已判断</source>
        <translation>Decided</translation>
    </message>
    <message>
        <source>已出具告知书</source>
        <translation>Notice printed</translation>
    </message>
    <message>
        <source>已出具</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>调查中</source>
        <translation>Under investigation</translation>
    </message>
    <message>
        <source>不予出具</source>
        <comment>case status</comment>
        <translation>Refused</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>已告知办理地点</source>
        <translation>Told where to apply</translation>
    </message>
    <message>
        <source>窗口民警</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>所领导</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>审计员</source>
        <translation>Auditor</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>须经所领导审批：请所领导在审批窗口中选择本人姓名并输入密码</source>
        <translation>A supervisor must approve: in the approval window they pick their name and type their password</translation>
    </message>
    <message>
        <source>本工作站尚未设置派出所信息</source>
        <translation>This workstation has not been set up for a station yet</translation>
    </message>
    <message>
        <source>本机时钟比已有记录的时间早(时钟可能被调回)：请先校正时钟再办理</source>
        <translation>This PC&apos;s clock is earlier than what is already recorded (it may have been set back): correct the clock first</translation>
    </message>
    <message>
        <source>本站尚未登记到省级服务器</source>
        <translation>This station is not enrolled with the provincial server</translation>
    </message>
    <message>
        <source>该备份用另一把数据密钥加密：请输入本人在备份中的密码，或用恢复密钥恢复</source>
        <translation>This backup is encrypted under another data key: type your password as the backup knows it, or restore with its recovery key</translation>
    </message>
    <message>
        <source>省级服务器暂时无法连接：记录已保存在本机，联网后自动上报</source>
        <translation>The provincial server cannot be reached: the records are kept here and sent when the network is back</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>案件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>所要证明</source>
        <translation>Certificate asked for</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>首接民警</source>
        <translation>First-contact officer</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>办结期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>剩余工作日</source>
        <translation>Working days left</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Serial</translation>
    </message>
    <message>
        <source>式样</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>证明对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>出具时间</source>
        <translation>Issued at</translation>
    </message>
    <message>
        <source>核查编号</source>
        <translation>Inquiry no.</translation>
    </message>
    <message>
        <source>请求单位</source>
        <translation>Requesting unit</translation>
    </message>
    <message>
        <source>被核查人</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>核查事项</source>
        <translation>Information asked</translation>
    </message>
    <message>
        <source>答复期限</source>
        <translation>Answer due</translation>
    </message>
    <message>
        <source>新的证明要求</source>
        <translation>New certificate request</translation>
    </message>
    <message>
        <source>协作部门核查请求(回车答复)</source>
        <translation>Partners&apos; inquiries (Enter to answer)</translation>
    </message>
    <message>
        <source>回到搜索框</source>
        <translation>Back to the search field</translation>
    </message>
    <message>
        <source>刷新列表</source>
        <translation>Refresh the lists</translation>
    </message>
    <message>
        <source>待上报省级的记录</source>
        <translation>Items waiting for the province</translation>
    </message>
    <message>
        <source>监督与统计(所领导)</source>
        <translation>Supervision and statistics (supervisor)</translation>
    </message>
    <message>
        <source>本站管理(管理员)</source>
        <translation>Station administration (administrators)</translation>
    </message>
    <message>
        <source>审计记录(审计员、所领导)</source>
        <translation>Audit trail (auditors, supervisors)</translation>
    </message>
    <message>
        <source>立即与省级同步</source>
        <translation>Sync with the province now</translation>
    </message>
    <message>
        <source>搜索 / 下一步</source>
        <translation>Search / next step</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>出具书面告知书</source>
        <translation>Issue the written notice</translation>
    </message>
    <message>
        <source>读取身份证 / 补打</source>
        <translation>Read ID card / reprint</translation>
    </message>
    <message>
        <source>出具证明</source>
        <translation>Issue the certificate</translation>
    </message>
    <message>
        <source>出具一次性告知书</source>
        <translation>Issue the one-time notice</translation>
    </message>
    <message>
        <source>作废(所领导) / 预览并打印</source>
        <translation>Void (supervisor) / preview and print</translation>
    </message>
    <message>
        <source>选择打印机(预览中)</source>
        <translation>Choose printer (in the preview)</translation>
    </message>
    <message>
        <source>已交付，关闭(预览中)</source>
        <translation>Handed over, close (in the preview)</translation>
    </message>
    <message>
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>certdesk 证明工作台 — {0} 第 {1} 号工作站</source>
        <translation>certdesk counter — {0}, workstation {1}</translation>
    </message>
    <message>
        <source>{0}({1}) 第 {2} 号工作站</source>
        <translation>{0} ({1}), workstation {2}</translation>
    </message>
    <message>
        <source>certdesk 证明工作台</source>
        <translation>certdesk certificate counter</translation>
    </message>
    <message>
        <source>办理(&amp;W)</source>
        <translation>&amp;Work</translation>
    </message>
    <message>
        <source>本站(&amp;T)</source>
        <translation>S&amp;tation</translation>
    </message>
    <message>
        <source>本站管理…</source>
        <translation>Station administration…</translation>
    </message>
    <message>
        <source>审计记录…</source>
        <translation>Audit trail…</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>协作部门核查请求</source>
        <translation>Partners&apos; inquiries</translation>
    </message>
    <message>
        <source>输入证明名称、拼音首字母，扫描证明编号，或输入公民身份号码，按回车</source>
        <translation>Type a certificate name or pinyin initials, scan a serial, or type an identity number, then Enter</translation>
    </message>
    <message>
        <source>今日案件</source>
        <translation>Today&apos;s cases</translation>
    </message>
    <message>
        <source>调查中(逾期标红)</source>
        <translation>Under investigation (overdue in red)</translation>
    </message>
    <message>
        <source>最近出具的证明</source>
        <translation>Recent certificates</translation>
    </message>
    <message>
        <source>协作部门核查请求(回车答复，逾期标红)</source>
        <translation>Partners&apos; inquiries (Enter to answer; overdue in red)</translation>
    </message>
    <message>
        <source>民警：{0}({1})，{2} 登录</source>
        <translation>Officer: {0} ({1}), signed in at {2}</translation>
    </message>
    <message>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>证明要求由窗口民警或所领导办理</source>
        <translation>Certificate requests are handled by counter officers or supervisors</translation>
    </message>
    <message>
        <source>本站管理限管理员使用</source>
        <translation>Station administration is for administrators</translation>
    </message>
    <message>
        <source>审计记录限审计员和所领导查看</source>
        <translation>The audit trail is for auditors and supervisors</translation>
    </message>
    <message>
        <source>未登录</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>解锁(&amp;U)</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <source>换人登录(&amp;S)</source>
        <translation>&amp;Sign in as another officer</translation>
    </message>
    <message>
        <source>已锁定：{0}({1})。输入本人密码解锁，或由其他民警登录</source>
        <translation>Locked: {0} ({1}). Type your password to unlock, or let another officer sign in</translation>
    </message>
    <message>
        <source>请民警登录</source>
        <translation>An officer must sign in</translation>
    </message>
    <message>
        <source>目录 {0} 版本 {1}</source>
        <translation>Catalog {0} version {1}</translation>
    </message>
    <message>
        <source>找到 {0} 份证明</source>
        <translation>{0} certificates found</translation>
    </message>
    <message>
        <source>证明由窗口民警或所领导查看</source>
        <translation>Certificates are viewed by counter officers or supervisors</translation>
    </message>
    <message>
        <source>监督与统计限所领导使用</source>
        <translation>Supervision and statistics are for supervisors</translation>
    </message>
    <message>
        <source>提醒：调查核实今日到期 {0} 件，已超期 {1} 件(F7 查看)</source>
        <translation>Reminder: {0} investigations due today, {1} overdue (F7)</translation>
    </message>
</context>
<context>
    <name>OfficerDialog</name>
    <message>
        <source>重置密码</source>
        <translation>Reset the password</translation>
    </message>
    <message>
        <source>{0}({1})的新密码</source>
        <translation>New password for {0} ({1})</translation>
    </message>
    <message>
        <source>添加民警</source>
        <translation>Add an officer</translation>
    </message>
    <message>
        <source>警号 *</source>
        <translation>Police number *</translation>
    </message>
    <message>
        <source>姓名 *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>角色 *</source>
        <translation>Role *</translation>
    </message>
    <message>
        <source>初始密码 *</source>
        <translation>First password *</translation>
    </message>
    <message>
        <source>再次输入 *</source>
        <translation>Again *</translation>
    </message>
    <message>
        <source>警号</source>
        <translation>Police number</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>初始密码</source>
        <translation>First password</translation>
    </message>
    <message>
        <source>请填写：{0}</source>
        <translation>Please fill in: {0}</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords differ</translation>
    </message>
</context>
<context>
    <name>OfficersTab</name>
    <message>
        <source>警号</source>
        <translation>Police number</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>添加民警(&amp;A)…</source>
        <translation>&amp;Add an officer…</translation>
    </message>
    <message>
        <source>停用(&amp;D)</source>
        <translation>&amp;Disable</translation>
    </message>
    <message>
        <source>重置密码(&amp;R)…</source>
        <translation>&amp;Reset the password…</translation>
    </message>
    <message>
        <source>解除锁定(&amp;U)</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <source>更改角色(&amp;O)…</source>
        <translation>R&amp;ole…</translation>
    </message>
    <message>
        <source>刷新(&amp;F)</source>
        <translation>Re&amp;fresh</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>密码错误过多，已锁定</source>
        <translation>Locked after wrong passwords</translation>
    </message>
    <message>
        <source>在用(首次登录须改密码)</source>
        <translation>Active (changes the password at sign-in)</translation>
    </message>
    <message>
        <source>在用</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>请先在列表中选择一位民警(上下方向键)</source>
        <translation>Choose an officer in the list first (arrow keys)</translation>
    </message>
    <message>
        <source>添加{0}：{1}({2})</source>
        <translation>Add a {0}: {1} ({2})</translation>
    </message>
    <message>
        <source>已添加 {0}({1})：首次登录时须改为自己的密码</source>
        <translation>Added {0} ({1}): they change the password at their first sign-in</translation>
    </message>
    <message>
        <source>停用民警</source>
        <translation>Disable an officer</translation>
    </message>
    <message>
        <source>停用 {0}({1})？停用后不能再登录，已登录的会话立即结束。</source>
        <translation>Disable {0} ({1})? They can no longer sign in, and their open sessions end now.</translation>
    </message>
    <message>
        <source>停用{0}：{1}({2})</source>
        <translation>Disable a {0}: {1} ({2})</translation>
    </message>
    <message>
        <source>已停用 {0}({1})</source>
        <translation>Disabled {0} ({1})</translation>
    </message>
    <message>
        <source>重置{0}的密码：{1}({2})</source>
        <translation>Reset a {0}&apos;s password: {1} ({2})</translation>
    </message>
    <message>
        <source>已重置 {0}({1})的密码：下次登录时须改为自己的密码</source>
        <translation>Password of {0} ({1}) reset: they change it at their next sign-in</translation>
    </message>
    <message>
        <source>解除锁定：{0}({1})</source>
        <translation>Unlock {0} ({1})</translation>
    </message>
    <message>
        <source>已解除 {0}({1})的锁定</source>
        <translation>Unlocked {0} ({1})</translation>
    </message>
    <message>
        <source>更改角色</source>
        <translation>Change the role</translation>
    </message>
    <message>
        <source>{0}({1})的新角色：</source>
        <translation>New role of {0} ({1}):</translation>
    </message>
    <message>
        <source>将 {0}({1})由{2}改为{3}</source>
        <translation>Make {0} ({1}) a {3} (was {2})</translation>
    </message>
    <message>
        <source>已更改 {0}({1})的角色：其会话已结束，重新登录后生效</source>
        <translation>Role of {0} ({1}) changed: their sessions ended; it applies at their next sign-in</translation>
    </message>
</context>
<context>
    <name>OutcomePage</name>
    <message>
        <source>判断结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>出具书面告知书并存档(&amp;P)</source>
        <translation>Issue the written notice and archive it (&amp;P)</translation>
    </message>
    <message>
        <source>预览并打印(&amp;V)</source>
        <translation>Pre&amp;view and print</translation>
    </message>
    <message>
        <source>已联系要求单位(&amp;L)：单位、人员和方式(可不填)</source>
        <translation>Contacted the requesting unit (&amp;L): unit, person and how (optional)</translation>
    </message>
    <message>
        <source>如：电话联系某某银行信贷部李经理，说明不再出具的原因</source>
        <translation>e.g. phoned the bank&apos;s credit office, Manager Li, and explained why the station no longer issues it</translation>
    </message>
    <message>
        <source>证明种类不明确：请返回上一步从候选中选定。</source>
        <translation>The kind of certificate is unclear: go back and pick one of the candidates.</translation>
    </message>
    <message>
        <source>按回车进入下一步：填写表式，出具证明。</source>
        <translation>Press Enter for the next step: fill in the form and issue the certificate.</translation>
    </message>
    <message>
        <source>按 Alt+P 出具书面告知书，预览后打印。</source>
        <translation>Press Alt+P to issue the written notice, then preview and print it.</translation>
    </message>
    <message>
        <source>结论：{0}</source>
        <translation>Outcome: {0}</translation>
    </message>
    <message>
        <source>证明：{0}</source>
        <translation>Certificate: {0}</translation>
    </message>
    <message>
        <source>理由：{0}</source>
        <translation>Reason: {0}</translation>
    </message>
    <message>
        <source>依据：{0}</source>
        <translation>Basis: {0}</translation>
    </message>
    <message>
        <source>请改用：{0}</source>
        <translation>Use instead: {0}</translation>
    </message>
    <message>
        <source>主管部门：{0}</source>
        <translation>Competent department: {0}</translation>
    </message>
    <message>
        <source>办理地点：{0}</source>
        <translation>Handled at: {0}</translation>
    </message>
    <message>
        <source>须报告上级公安机关。</source>
        <translation>To be reported to the superior public security organ.</translation>
    </message>
    <message>
        <source>正在出具…</source>
        <translation>Issuing…</translation>
    </message>
    <message>
        <source>已出具 {0}</source>
        <translation>Issued {0}</translation>
    </message>
</context>
<context>
    <name>PendingDialog</name>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>证明</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>告知书</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>补打</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>交付</source>
        <translation>Hand-over</translation>
    </message>
    <message>
        <source>信息交换</source>
        <translation>Information exchange</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>产生时间</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>尝试次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>上次错误</source>
        <translation>Last error</translation>
    </message>
    <message>
        <source>待上报省级的记录</source>
        <translation>Items waiting for the province</translation>
    </message>
    <message>
        <source>立即重试(&amp;R)</source>
        <translation>&amp;Retry now</translation>
    </message>
    <message>
        <source>关闭(&amp;C)</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>预览 {0}</source>
        <translation>Preview {0}</translation>
    </message>
    <message>
        <source>打印(&amp;P)</source>
        <translation>&amp;Print</translation>
    </message>
    <message>
        <source>选择打印机(&amp;S)…</source>
        <translation>&amp;Select printer…</translation>
    </message>
    <message>
        <source>已交付，关闭(&amp;C)</source>
        <translation>Handed over, &amp;close</translation>
    </message>
    <message>
        <source>关闭(&amp;C)</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>共 {0} 页</source>
        <translation>{0} page(s)</translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>已打印</source>
        <translation>Printed</translation>
    </message>
    <message>
        <source>已打印；再次打印须在证明中补打，经所领导审批</source>
        <translation>Printed. Another copy is a reprint from the certificate, approved by a supervisor</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <source>恢复密钥页</source>
        <translation>Recovery key sheet</translation>
    </message>
    <message>
        <source>第 3 步，共 3 步：恢复密钥(只显示这一次)</source>
        <translation>Step 3 of 3: the recovery key (shown this once)</translation>
    </message>
    <message>
        <source>抄写或打印后勾选“已妥善保管”，才能完成设置</source>
        <translation>Write it down or print it, then tick &quot;kept&quot; to finish</translation>
    </message>
    <message>
        <source>本站数据已加密，由民警的密码解锁。所有民警都无法登录时(密码遗忘、管理员调离)，只有这把恢复密钥能打开数据：请现在抄写下来，封存在所内保险柜，不要保存在本机。</source>
        <translation>The station&apos;s data is encrypted and unlocked by the officers&apos; passwords. When no officer can sign in (passwords forgotten, the administrator moved on), only this recovery key opens the data: write it down now, seal it in the station&apos;s safe, and do not keep it on this PC.</translation>
    </message>
    <message>
        <source>我已抄写或打印恢复密钥并妥善保管(&amp;K)</source>
        <translation>I have written down or printed the recovery key and put it away safely (&amp;K)</translation>
    </message>
    <message>
        <source>打印恢复密钥页(&amp;P)…</source>
        <translation>&amp;Print the recovery key sheet…</translation>
    </message>
</context>
<context>
    <name>RecoveryTab</name>
    <message>
        <source>恢复密钥在所有民警都无法登录时打开本站数据，设置时已显示一次。恢复密钥遗失或可能泄露时，在此更换：新密钥只显示一次，旧密钥立即失效。</source>
        <translation>The recovery key opens the station&apos;s data when no officer can sign in; it was shown once at set-up. If it is lost or may have leaked, renew it here: the new key is shown once and the old one stops working at once.</translation>
    </message>
    <message>
        <source>更换恢复密钥(&amp;K)…</source>
        <translation>Renew the recovery &amp;key…</translation>
    </message>
    <message>
        <source>打印恢复密钥页(&amp;P)…</source>
        <translation>&amp;Print the recovery key sheet…</translation>
    </message>
    <message>
        <source>更换恢复密钥</source>
        <translation>Renew the recovery key</translation>
    </message>
    <message>
        <source>更换后旧的恢复密钥立即失效，新的只显示这一次。现在更换？</source>
        <translation>The old recovery key stops working at once and the new one is shown this once. Renew now?</translation>
    </message>
    <message>
        <source>已更换恢复密钥，但未显示(已离开本页)：请重新更换</source>
        <translation>The recovery key was renewed but not shown (the tab was left): renew it again</translation>
    </message>
    <message>
        <source>新的恢复密钥只显示这一次：请抄写或打印，封存在所内保险柜</source>
        <translation>The new recovery key is shown this once: write it down or print it, and seal it in the station&apos;s safe</translation>
    </message>
    <message>
        <source>恢复密钥页</source>
        <translation>Recovery key sheet</translation>
    </message>
</context>
<context>
    <name>RequestPage</name>
    <message>
        <source>所要证明：{0}</source>
        <translation>Certificate asked for: {0}</translation>
    </message>
    <message>
        <source>(由“{0}”识别)</source>
        <translation> (recognised from “{0}”)</translation>
    </message>
    <message>
        <source>“{0}”可能是：{1}；请按“上一步”选定</source>
        <translation>“{0}” may be: {1}; press Back to choose</translation>
    </message>
    <message>
        <source>所要证明：“{0}”(目录中没有找到)</source>
        <translation>Certificate asked for: “{0}” (not found in the catalog)</translation>
    </message>
    <message>
        <source>要求单位和用途</source>
        <translation>Requesting unit and purpose</translation>
    </message>
    <message>
        <source>要求单位</source>
        <translation>Requesting unit</translation>
    </message>
    <message>
        <source>用途</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>系统内没有记录，需要调查核实(出具受理回执)</source>
        <translation>No record in the system: investigation needed (acceptance receipt)</translation>
    </message>
    <message>
        <source>申请人的户籍地(或居住地、事发地)不在本所辖区(&amp;W)</source>
        <translation>The applicant&apos;s hukou (or residence, or where it happened) is not in this station&apos;s area (&amp;W)</translation>
    </message>
    <message>
        <source>单位派员持介绍信代为查询(须在“法律法规依据”中写明查询依据)(&amp;U)</source>
        <translation>A unit&apos;s staff ask with a letter of introduction (name the law under “Law or regulation”) (&amp;U)</translation>
    </message>
    <message>
        <source>要求单位名称</source>
        <translation>Name of the requesting unit</translation>
    </message>
    <message>
        <source>如：某某银行某某支行(不予出具须报告上级的，记录此名称)</source>
        <translation>e.g. the bank branch (a refusal reported up names this unit)</translation>
    </message>
    <message>
        <source>法律法规依据</source>
        <translation>Law or regulation</translation>
    </message>
    <message>
        <source>法律法规规定由派出所出具的，写明其名称和条款</source>
        <translation>Where a law requires the station to certify: its name and article</translation>
    </message>
    <message>
        <source>省内使用</source>
        <translation>Within the province</translation>
    </message>
    <message>
        <source>省外使用</source>
        <translation>Outside the province</translation>
    </message>
    <message>
        <source>出国(境)使用</source>
        <translation>Abroad</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <source>空闲多少分钟后锁定窗口(&amp;L)</source>
        <translation>&amp;Lock the window after idle minutes</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>本机打印机(&amp;P)</source>
        <translation>This PC&apos;s &amp;printer</translation>
    </message>
    <message>
        <source>保存设置(&amp;S)</source>
        <translation>&amp;Save the settings</translation>
    </message>
    <message>
        <source>每次登录后首次打印时选择</source>
        <translation>Chosen at the first print after each sign-in</translation>
    </message>
    <message>
        <source>设置已保存</source>
        <translation>Settings saved</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>certdesk 民警登录</source>
        <translation>certdesk sign-in</translation>
    </message>
    <message>
        <source>certdesk 证明工作台 · 民警登录</source>
        <translation>certdesk counter · officer sign-in</translation>
    </message>
    <message>
        <source>{0}({1}) 第 {2} 号工作站</source>
        <translation>{0} ({1}), workstation {2}</translation>
    </message>
    <message>
        <source>警号</source>
        <translation>Police number</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation>Repeat the new password</translation>
    </message>
    <message>
        <source>管理员设置的密码须先修改：新密码至少8位，同时含有字母和数字</source>
        <translation>A password set by the administrator must be changed first: at least 8 characters, with letters and digits</translation>
    </message>
    <message>
        <source>请输入警号</source>
        <translation>Please enter the police number</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致</source>
        <translation>The two new passwords differ</translation>
    </message>
    <message>
        <source>正在核对密码…(管理员登录时本站数据首次加密，需要一两分钟，请勿关机)</source>
        <translation>Checking the password… (at an administrator&apos;s sign-in the station&apos;s data is encrypted for the first time: a minute or two, do not switch off)</translation>
    </message>
    <message>
        <source>正在核对密码…</source>
        <translation>Checking the password…</translation>
    </message>
    <message>
        <source>正在核对密码并准备本站数据(升级后首次启动要更新数据库)，请稍候…</source>
        <translation>Checking the password and preparing the station&apos;s data (the first start after an upgrade updates the database); please wait…</translation>
    </message>
    <message>
        <source>本站数据已加密</source>
        <translation>The station&apos;s data is encrypted</translation>
    </message>
    <message>
        <source>本站数据已加密，由民警的密码解锁；其他民警下次登录时建立各自的密钥。
恢复密钥只显示这一次：请抄写下来，封存在所内保险柜：

{0}</source>
        <translation>The station&apos;s data is now encrypted and unlocked by the officers&apos; passwords; the other officers get their keys at their next sign-in.
The recovery key is shown this once only: write it down and seal it in the station&apos;s safe:

{0}</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <source>请填写：{0}</source>
        <translation>Please fill in: {0}</translation>
    </message>
    <message>
        <source>工作站编号应为两位数字 01 至 99</source>
        <translation>The workstation number is two digits, 01 to 99</translation>
    </message>
    <message>
        <source>第 1 步，共 3 步：本派出所</source>
        <translation>Step 1 of 3: this police station</translation>
    </message>
    <message>
        <source>带 * 的必须填写。每台窗口电脑使用自己的工作站编号，只有一台的填 01</source>
        <translation>Fields marked * are required. Each counter PC has its own workstation number; a station with one PC uses 01</translation>
    </message>
    <message>
        <source>派出所代码 *</source>
        <translation>Station code *</translation>
    </message>
    <message>
        <source>派出所名称 *</source>
        <translation>Station name *</translation>
    </message>
    <message>
        <source>工作站编号 *</source>
        <translation>Workstation number *</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Telephone</translation>
    </message>
</context>
<context>
    <name>StationSetupWizard</name>
    <message>
        <source>certdesk 首次设置</source>
        <translation>certdesk first start</translation>
    </message>
</context>
<context>
    <name>SupervisionWindow</name>
    <message>
        <source>证明</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>件数</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>民警</source>
        <translation>Officer</translation>
    </message>
    <message>
        <source>证明要求</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>有效证明</source>
        <translation>Valid certificates</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>所要证明</source>
        <translation>Certificate asked for</translation>
    </message>
    <message>
        <source>办结期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>剩余工作日</source>
        <translation>Working days left</translation>
    </message>
    <message>
        <source>首接民警</source>
        <translation>First-contact officer</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Flag</translation>
    </message>
    <message>
        <source>证明编号</source>
        <translation>Serial</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>要求单位</source>
        <translation>Requesting unit</translation>
    </message>
    <message>
        <source>(未记录单位名称)</source>
        <translation>(unit not named)</translation>
    </message>
    <message>
        <source>单位类别</source>
        <translation>Sector</translation>
    </message>
    <message>
        <source>监督与统计</source>
        <translation>Supervision and statistics</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>统计(&amp;S)</source>
        <translation>&amp;Show</translation>
    </message>
    <message>
        <source>全省(在线)(&amp;P)</source>
        <translation>&amp;Province (online)</translation>
    </message>
    <message>
        <source>导出 CSV(&amp;C)</source>
        <translation>Export &amp;CSV</translation>
    </message>
    <message>
        <source>导出 XLSX(&amp;X)</source>
        <translation>Export &amp;XLSX</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>监督提示</source>
        <translation>Oversight flags</translation>
    </message>
    <message>
        <source>报告上级</source>
        <translation>Reported up</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>本站没有法律依据或超出职责而不予出具、须报告上级公安机关的要求：{0} 个单位 {1} 件(未记录单位名称的标红)。</source>
        <translation>Requests this station refused for lack of legal basis or as outside police duties, to report to the upper-level public security organ: {0} units, {1} requests (red: unit not named).</translation>
    </message>
    <message>
        <source>{0} 至 {1}</source>
        <translation>{0} to {1}</translation>
    </message>
    <message>
        <source>证明要求：{0} 件</source>
        <translation>Requests: {0}</translation>
    </message>
    <message>
        <source>出具证明：{0} 份</source>
        <translation>Certificates issued: {0}</translation>
    </message>
    <message>
        <source>当场出具 {0}，调查核实 {1}</source>
        <translation>On the spot {0}, after investigation {1}</translation>
    </message>
    <message>
        <source>期限内办结 {0}，超期办结 {1}</source>
        <translation>Finished in time {0}, late {1}</translation>
    </message>
    <message>
        <source>办理中 {0}，已超期 {1}</source>
        <translation>Open {0}, overdue {1}</translation>
    </message>
    <message>
        <source>协作部门核查：请求 {0}，按期答复 {1}，超期答复 {2}，待答复 {3}，已逾期 {4}，不予答复 {5}</source>
        <translation>Partners&apos; inquiries: asked {0}, answered in time {1}, answered late {2}, open {3}, overdue {4}, declined {5}</translation>
    </message>
    <message>
        <source>群众免开证明 {0} 件，部门间核查代替 {1} 件</source>
        <translation>Citizens spared a certificate: {0}; settled between departments: {1}</translation>
    </message>
    <message>
        <source>约节省 {0} 元(每件 {1} 次往返 × {2} 元；每件核查 1 次往返)</source>
        <translation>About ¥{0} saved ({1} trips × ¥{2} each; one trip per inquiry)</translation>
    </message>
    <message>
        <source>调查中 {0} 件，其中已超期 {1} 件(标红)</source>
        <translation>{0} under investigation, {1} overdue (in red)</translation>
    </message>
    <message>
        <source>监督提示 {0} 条</source>
        <translation>{0} oversight flags</translation>
    </message>
    <message>
        <source>按结论</source>
        <translation>By outcome</translation>
    </message>
    <message>
        <source>证明要求按结论</source>
        <translation>Requests by outcome</translation>
    </message>
    <message>
        <source>每日证明要求</source>
        <translation>Requests per day</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>已导出：{0}。该文件未加密，含有个人信息：请妥善保管，用毕删除</source>
        <translation>Exported: {0}. The file is not encrypted and holds personal data: keep it safe and delete it when done</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>导出正在进行，请稍候</source>
        <translation>An export is running; please wait</translation>
    </message>
</context>
<context>
    <name>SyncState</name>
    <message>
        <source>正在与省级同步… · 待上报 {0}</source>
        <translation>Syncing with the province… · {0} to send</translation>
    </message>
    <message>
        <source>未登记省级服务器 · 待上报 {0}</source>
        <translation>Not enrolled with the province · {0} waiting</translation>
    </message>
    <message>
        <source>在线 · 待上报 {0}</source>
        <translation>Online · {0} waiting</translation>
    </message>
    <message>
        <source>离线 · 待上报 {0}</source>
        <translation>Offline · {0} waiting</translation>
    </message>
    <message>
        <source>审计链与省级不衔接，请所领导查看监督提示</source>
        <translation>The audit trail does not extend what the province holds: supervisors, see oversight</translation>
    </message>
    <message>
        <source>本机时钟与省级相差 {0} 分钟，请校正</source>
        <translation>This PC&apos;s clock is {0} minutes off the province&apos;s: please correct it</translation>
    </message>
</context>
<context>
    <name>Tab</name>
    <message>
        <source>正在办理…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>须经所领导审批：请所领导在审批窗口中选择本人姓名并输入密码</source>
        <translation>A supervisor must approve: in the approval window they pick their name and type their password</translation>
    </message>
    <message>
        <source>已取消：未经审批，没有改动</source>
        <translation>Cancelled: not approved, nothing changed</translation>
    </message>
</context>
</TS>
