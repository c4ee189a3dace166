<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>CategoryTree</name>
        <message>
            <location filename="../../app/ui/settings/category_tree.py" line="57" />
            <source>All phrases</source>
            <translation>全部话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/category_tree.py" line="58" />
            <source>Categories</source>
            <translation>分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/category_tree.py" line="61" />
            <source>F2 renames, Ctrl+Up and Ctrl+Down reorder, Ctrl+Right nests under the category above, Ctrl+Left moves back to the top level. Drag phrases here to move them.</source>
            <translation>F2 重命名，Ctrl+↑ 和 Ctrl+↓ 调整顺序，Ctrl+→ 归入上方分类作为子分类，Ctrl+← 移回顶层。把话术拖到这里即可移动分类。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/category_tree.py" line="115" />
            <source>From a team subscription (read-only)</source>
            <translation>来自团队订阅（只读）</translation>
        </message>
    </context>
    <context>
        <name>DockedPanel</name>
        <message>
            <location filename="../../app/ui/panel.py" line="186" />
            <location filename="../../app/ui/panel.py" line="187" />
            <source>Huashu panel</source>
            <translation>话术面板</translation>
        </message>
        <message>
            <location filename="../../app/ui/panel.py" line="188" />
            <source>Search (click to type)</source>
            <translation>搜索（点击后输入）</translation>
        </message>
        <message>
            <location filename="../../app/ui/panel.py" line="189" />
            <source>Dock on the other side</source>
            <translation>停靠到另一侧</translation>
        </message>
        <message>
            <location filename="../../app/ui/panel.py" line="190" />
            <source>Narrower</source>
            <translation>窄一些</translation>
        </message>
        <message>
            <location filename="../../app/ui/panel.py" line="191" />
            <source>Wider</source>
            <translation>宽一些</translation>
        </message>
        <message>
            <location filename="../../app/ui/panel.py" line="192" />
            <source>Close the panel</source>
            <translation>关闭面板</translation>
        </message>
        <message>
            <location filename="../../app/ui/panel.py" line="193" />
            <source>Click a reply to paste it into the chat window.</source>
            <translation>点击话术即可粘贴到聊天窗口。</translation>
        </message>
        <message>
            <location filename="../../app/ui/panel.py" line="207" />
            <source>Suggested</source>
            <translation>推荐</translation>
        </message>
        <message>
            <location filename="../../app/ui/panel.py" line="208" />
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <location filename="../../app/ui/panel.py" line="348" />
            <source>Click into the chat window first, then open the panel again.</source>
            <translation>请先点击聊天窗口，再打开面板。</translation>
        </message>
    </context>
    <context>
        <name>FillInDialog</name>
        <message>
            <location filename="../../app/ui/fillin.py" line="66" />
            <source>Fill in: %1</source>
            <translation>填写：%1</translation>
        </message>
        <message>
            <location filename="../../app/ui/fillin.py" line="104" />
            <source>Preview</source>
            <translation>预览</translation>
        </message>
        <message>
            <location filename="../../app/ui/fillin.py" line="123" />
            <source>Paste</source>
            <translation>粘贴</translation>
        </message>
        <message>
            <location filename="../../app/ui/fillin.py" line="130" />
            <source>Enter to paste, Esc to cancel</source>
            <translation>Enter 粘贴，Esc 取消</translation>
        </message>
        <message>
            <location filename="../../app/ui/fillin.py" line="169" />
            <source>Customer</source>
            <translation>顾客</translation>
        </message>
        <message>
            <location filename="../../app/ui/fillin.py" line="171" />
            <source>Product</source>
            <translation>商品</translation>
        </message>
    </context>
    <context>
        <name>GeneralPage</name>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="118" />
            <source>&amp;Picker hotkey:</source>
            <translation>呼出快捷选择(&amp;P)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="119" />
            <source>Pa&amp;use hotkey:</source>
            <translation>暂停快捷键(&amp;U)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="122" />
            <source>Paste &amp;mode:</source>
            <translation>粘贴方式(&amp;M)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="123" />
            <source>&amp;Restore clipboard after:</source>
            <translation>恢复剪贴板延时(&amp;R)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="124" />
            <source>Hotkey &amp;backend:</source>
            <translation>快捷键后端(&amp;B)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="125" />
            <source>&amp;Language:</source>
            <translation>语言(&amp;L)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="126" />
            <source>Opens the phrase picker from any window</source>
            <translation>在任意窗口中呼出话术快捷选择</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="127" />
            <source>Turns all Huashu hotkeys off and on again</source>
            <translation>关闭或重新开启话术的全部快捷键</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="135" />
            <source>Clear</source>
            <translation>清除</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="136" />
            <source> ms</source>
            <translation> 毫秒</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="138" />
            <source>How long to wait after pasting before your previous clipboard comes back</source>
            <translation>粘贴后等待多久再恢复您原来的剪贴板内容</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="140" />
            <source>&amp;Start Huashu when I log in</source>
            <translation>登录系统时自动启动话术(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="143" />
            <source>Changes are saved at once. Hotkeys apply immediately. Windows ignores pasting into programs that run as administrator; use Copy mode there.</source>
            <translation>更改会立即保存，快捷键即时生效。Windows 不允许向以管理员身份运行的程序粘贴，此类程序请使用“仅复制”方式。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="152" />
            <source>Paste into the focused window</source>
            <translation>粘贴到当前窗口</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="153" />
            <source>Only copy to the clipboard</source>
            <translation>仅复制到剪贴板</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="154" />
            <source>Type the text key by key</source>
            <translation>模拟键盘逐字输入</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="174" />
            <source>Automatic</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="175" />
            <source>Windows system hotkeys (RegisterHotKey)</source>
            <translation>Windows 系统热键（RegisterHotKey）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="176" />
            <source>keyboard package (Windows; Linux as root)</source>
            <translation>keyboard 库（Windows；Linux 需 root 权限）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="177" />
            <source>X11 key grabs (Linux)</source>
            <translation>X11 按键捕获（Linux）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="162" />
            <source>System language</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="217" />
            <source>Change the picker hotkey</source>
            <translation>修改呼出快捷选择的快捷键</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="218" />
            <source>Change the pause hotkey</source>
            <translation>修改暂停快捷键</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="230" />
            <source>Change the paste mode</source>
            <translation>修改粘贴方式</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="239" />
            <source>Change the clipboard restore delay</source>
            <translation>修改剪贴板恢复延时</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="247" />
            <source>Change the hotkey backend</source>
            <translation>修改快捷键后端</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="255" />
            <source>Change the language</source>
            <translation>修改语言</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="265" />
            <source>Change start at login</source>
            <translation>修改开机自启动</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="120" />
            <source>Su&amp;ggest hotkey:</source>
            <translation>话术推荐快捷键(&amp;G)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="129" />
            <source>Opens the picker with replies to the customer message you copied</source>
            <translation>打开快捷选择，列出能回答您复制的顾客消息的话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="219" />
            <source>Change the suggest hotkey</source>
            <translation>修改话术推荐快捷键</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="121" />
            <source>Docked pa&amp;nel hotkey:</source>
            <translation>话术面板快捷键(&amp;N)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="132" />
            <source>Shows or hides the quick-reply panel beside the chat window</source>
            <translation>显示或隐藏聊天窗口旁的话术面板</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/general_page.py" line="220" />
            <source>Change the docked panel hotkey</source>
            <translation>修改话术面板快捷键</translation>
        </message>
    </context>
    <context>
        <name>HotkeyEdit</name>
        <message>
            <location filename="../../app/ui/settings/hotkey_edit.py" line="169" />
            <source>Press a key combination</source>
            <translation>请按下组合键</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/hotkey_edit.py" line="172" />
            <source>Click here and press the combination, for example Ctrl+Alt+1. Backspace clears it; Esc keeps the previous one.</source>
            <translation>点击此处后按下组合键，例如 Ctrl+Alt+1。按 Backspace 清除，按 Esc 保留原来的快捷键。</translation>
        </message>
    </context>
    <context>
        <name>ImportDialog</name>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="62" />
            <location filename="../../app/ui/import_dialog.py" line="154" />
            <source>Import phrases</source>
            <translation>导入话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="67" />
            <source>Huashu pack, Qianniu CSV or text file</source>
            <translation>话术包、千牛 CSV 或文本文件</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="68" />
            <source>Choose file…</source>
            <translation>选择文件…</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="74" />
            <source>Category for the lines:</source>
            <translation>文本行归入分类：</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="78" />
            <source>Imported</source>
            <translation>导入的话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="93" />
            <source>Category</source>
            <translation>分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="94" />
            <source>New</source>
            <translation>新增</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="95" />
            <source>Identical</source>
            <translation>相同</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="96" />
            <source>Changed</source>
            <translation>有改动</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="97" />
            <source>Conflict</source>
            <translation>冲突</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="104" />
            <source>Skip: keep my phrases</source>
            <translation>跳过：保留我的话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="105" />
            <source>Replace mine with the imported ones</source>
            <translation>用导入的话术替换我的话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="106" />
            <source>Keep both (renames the code, e.g. cf1-2)</source>
            <translation>两者都保留（重命名编码，如 cf1-2）</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="111" />
            <source>Also bind the file's hotkeys (only free ones)</source>
            <translation>同时绑定文件中的快捷键（仅限未被占用的）</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="115" />
            <source>Import</source>
            <translation>导入</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="127" />
            <source>When a phrase is changed or in conflict:</source>
            <translation>话术有改动或冲突时：</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="156" />
            <source>Phrase files (*.toml *.csv *.txt);;All files (*)</source>
            <translation>话术文件 (*.toml *.csv *.txt);;所有文件 (*)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/import_dialog.py" line="174" />
            <source>This file cannot be imported (%n problem(s)):</source>
            <translation>
                <numerusform>无法导入此文件（%n 个问题）：</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="186" />
            <source>Huashu pack</source>
            <translation>话术包</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="187" />
            <source>Qianniu CSV</source>
            <translation>千牛 CSV</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="188" />
            <source>Plain text</source>
            <translation>纯文本</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="190" />
            <source>{kind} “{name}”: {count} phrases, encoding {encoding}.</source>
            <translation>{kind}“{name}”：{count} 条话术，编码 {encoding}。</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="198" />
            <source>New categories: {names}.</source>
            <translation>新分类：{names}。</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="212" />
            <source>Total</source>
            <translation>合计</translation>
        </message>
        <message>
            <location filename="../../app/ui/import_dialog.py" line="238" />
            <source>Import failed; your phrases are unchanged. {reason}</source>
            <translation>导入失败，您的话术没有任何改动。{reason}</translation>
        </message>
    </context>
    <context>
        <name>PastePipeline</name>
        <message>
            <location filename="../../app/platform/pipeline.py" line="201" />
            <source>Could not use the clipboard: {0}</source>
            <translation>无法使用剪贴板：{0}</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="205" />
            <source>Copied to the clipboard: paste with Ctrl+V.</source>
            <translation>已复制到剪贴板，请按 Ctrl+V 粘贴。</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="209" />
            <source>Keystrokes cannot be sent here, so the text was copied instead.</source>
            <translation>无法向此处发送按键，已改为复制文字。</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="247" />
            <source>Could not read the keyboard state ({0}).</source>
            <translation>无法读取键盘状态（{0}）。</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="257" />
            <source>Keys were still held after {0:g} seconds, so nothing was pasted.</source>
            <translation>{0:g} 秒后仍有按键未松开，因此没有粘贴。</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="260" />
            <source>No other program's window had the keyboard focus after {0:g} seconds, so nothing was pasted.</source>
            <translation>{0:g} 秒内没有其他程序的窗口获得键盘焦点，因此未粘贴。</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="329" />
            <source>The focused window runs as administrator, and Windows blocks keys sent to it by a program that does not. To paste there, quit Huashu and start it with right-click &gt; Run as administrator.</source>
            <translation>当前窗口以管理员身份运行，Windows 会拦截普通程序发给它的按键。如需在该窗口粘贴，请退出话术，再右键点击话术并选择“以管理员身份运行”。</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="341" />
            <source>Sending the keystrokes failed ({0}).</source>
            <translation>发送按键失败（{0}）。</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="383" />
            <source>{0} The clipboard is unusable too: {1}</source>
            <translation>{0}剪贴板也无法使用：{1}</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="387" />
            <source>{0} The text is on the clipboard: paste with Ctrl+V.</source>
            <translation>{0}文字已在剪贴板中，请按 Ctrl+V 粘贴。</translation>
        </message>
        <message>
            <location filename="../../app/platform/pipeline.py" line="371" />
            <source>The reply was pasted but not sent ({0}): press Enter.</source>
            <translation>话术已粘贴但未发送（{0}）：请按回车发送。</translation>
        </message>
    </context>
    <context>
        <name>PhraseEditor</name>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="229" />
            <source>&amp;Title:</source>
            <translation>标题(&amp;T)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="230" />
            <source>Co&amp;de:</source>
            <translation>快捷编码(&amp;D)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="231" />
            <source>C&amp;ategory:</source>
            <translation>分类(&amp;A)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="232" />
            <source>Ta&amp;gs:</source>
            <translation>标签(&amp;G)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="233" />
            <source>&amp;Hotkey:</source>
            <translation>快捷键(&amp;H)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="234" />
            <source>&amp;Reply:</source>
            <translation>回复内容(&amp;R)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="235" />
            <source>Preview:</source>
            <translation>预览：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="236" />
            <source>Short name shown in the picker</source>
            <translation>在快捷选择中显示的简短名称</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="237" />
            <source>e.g. cf1</source>
            <translation>例如 cf1</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="238" />
            <source>Quick code typed in the picker to find this phrase</source>
            <translation>在快捷选择中输入此编码即可找到这条话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="239" />
            <source>Separate tags with commas</source>
            <translation>多个标签用逗号分隔</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="247" />
            <source>Clear</source>
            <translation>清除</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="248" />
            <source>Remove the hotkey</source>
            <translation>移除快捷键</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="249" />
            <source>Insert placeholder</source>
            <translation>插入占位符</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="250" />
            <source>Insert a placeholder at the cursor</source>
            <translation>在光标处插入占位符</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="252" />
            <source>The reply text; placeholders such as {店铺} are filled in when used</source>
            <translation>回复内容；使用时会自动填入 {店铺} 等占位符</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="254" />
            <source>The reply as it would be pasted with your profile</source>
            <translation>按您的个人资料实际粘贴出来的内容</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="255" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="256" />
            <source>Save the phrase (Ctrl+S)</source>
            <translation>保存话术（Ctrl+S）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="257" />
            <source>Re&amp;vert</source>
            <translation>还原(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="258" />
            <source>Discard the changes made since the last save</source>
            <translation>放弃上次保存之后的修改</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="268" />
            <source>{alias}  ({name})</source>
            <translation>{alias}  （{name}）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="272" />
            <source>{description} Example: {example}</source>
            <translation>{description}示例：{example}</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="377" />
            <source>This phrase comes from the team pack “{source}” and cannot be edited here. Duplicate it to make your own copy.</source>
            <translation>这条话术来自团队话术包“{source}”，不能在此编辑。可以复制一份作为自己的话术。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="383" />
            <source>New phrase: it is saved when you press Save.</source>
            <translation>新话术：点击“保存”后才会保存。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="468" />
            <source>(clipboard text)</source>
            <translation>（剪贴板内容）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="240" />
            <source>E&amp;xample questions:</source>
            <translation>示例问题(&amp;X)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="242" />
            <source>Customer questions this reply answers, one per line, e.g. 什么时候发货</source>
            <translation>这条回复能回答的顾客问题，每行一个，例如：什么时候发货</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/editor.py" line="245" />
            <source>Suggestions match a customer's message against these questions</source>
            <translation>话术推荐会拿顾客的消息和这些问题比对</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="50" />
            <source>This is not a valid hotkey: {reason}</source>
            <translation>这不是有效的快捷键：{reason}</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="52" />
            <source>This key would stop you typing it anywhere; add Ctrl, Alt or Win.</source>
            <translation>使用该按键后将无法在任何地方正常输入它，请加上 Ctrl、Alt 或 Win。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="61" />
            <source>Already used by the phrase “{title}”.</source>
            <translation>已被话术“{title}”使用。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="64" />
            <source>Already used to open the phrase picker.</source>
            <translation>已用于呼出话术快捷选择。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="66" />
            <source>Already used to pause and resume Huashu.</source>
            <translation>已用于暂停和恢复话术快捷键。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="68" />
            <source>Already used to suggest replies to the copied message.</source>
            <translation>已用于为复制的顾客消息推荐回复。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="70" />
            <source>Already used to show or hide the docked panel.</source>
            <translation>已用于显示或隐藏话术面板。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="79" />
            <source>The title cannot be empty.</source>
            <translation>标题不能为空。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="82" />
            <source>A code cannot contain spaces.</source>
            <translation>快捷编码不能包含空格。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="86" />
            <source>The code is already used by the phrase “{title}”.</source>
            <translation>该快捷编码已被话术“{title}”使用。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="91" />
            <source>Choose a category (create one first if there is none).</source>
            <translation>请选择分类（如果还没有分类，请先新建）。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="102" />
            <source>{text} is not a known placeholder and stays as typed ({reason}).</source>
            <translation>{text} 不是可识别的占位符，将按原样保留（{reason}）。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="120" />
            <source>“{word}” may be penalised ({reason}). Say instead: {suggestion}</source>
            <translation>“{word}”可能触发平台违规处罚（{reason}）。建议改为：{suggestion}</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/checks.py" line="126" />
            <source>“{word}” may be penalised ({reason}).</source>
            <translation>“{word}”可能触发平台违规处罚（{reason}）。</translation>
        </message>
    </context>
    <context>
        <name>PhraseTableModel</name>
        <message>
            <location filename="../../app/ui/settings/phrase_model.py" line="79" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrase_model.py" line="80" />
            <source>Code</source>
            <translation>快捷编码</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrase_model.py" line="81" />
            <source>Hotkey</source>
            <translation>快捷键</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrase_model.py" line="82" />
            <source>Category</source>
            <translation>分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrase_model.py" line="83" />
            <source>Uses</source>
            <translation>使用次数</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrase_model.py" line="84" />
            <source>Updated</source>
            <translation>更新时间</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrase_model.py" line="206" />
            <source>{body}

Read-only: from the team pack {source}.</source>
            <translation>{body}

只读：来自团队话术包 {source}。</translation>
        </message>
    </context>
    <context>
        <name>PhrasesPage</name>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="125" />
            <source>C&amp;ategories</source>
            <translation>分类(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="126" />
            <source>Add</source>
            <translation>添加</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="127" />
            <source>Add a top-level category</source>
            <translation>添加顶级分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="128" />
            <source>Add sub</source>
            <translation>添加子分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="129" />
            <source>Add a sub-category to the selected category</source>
            <translation>为选中的分类添加子分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="130" />
            <source>Rename</source>
            <translation>重命名</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="131" />
            <source>Rename the selected category (F2)</source>
            <translation>重命名选中的分类（F2）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="132" />
            <location filename="../../app/ui/settings/phrases_page.py" line="144" />
            <location filename="../../app/ui/settings/phrases_page.py" line="146" />
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="133" />
            <source>Delete the selected category (Del)</source>
            <translation>删除选中的分类（Del）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="135" />
            <source>Filter: pinyin initials, code or text (Ctrl+F)</source>
            <translation>筛选：拼音首字母、快捷编码或文字（Ctrl+F）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="137" />
            <source>Phrases</source>
            <translation>话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="138" />
            <source>New</source>
            <translation>新建</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="139" />
            <source>New phrase (Ctrl+N)</source>
            <translation>新建话术（Ctrl+N）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="140" />
            <location filename="../../app/ui/settings/phrases_page.py" line="147" />
            <source>Duplicate</source>
            <translation>复制</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="141" />
            <source>Duplicate the selected phrases (Ctrl+D)</source>
            <translation>复制选中的话术（Ctrl+D）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="142" />
            <source>Move to</source>
            <translation>移动到</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="143" />
            <source>Move the selected phrases to another category</source>
            <translation>将选中的话术移动到其他分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="145" />
            <source>Delete the selected phrases (Del)</source>
            <translation>删除选中的话术（Del）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="148" />
            <source>Edit</source>
            <translation>编辑</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/phrases_page.py" line="203" />
            <source>%n phrase(s)</source>
            <translation>
                <numerusform>%n 条话术</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="261" />
            <source>Unsaved changes</source>
            <translation>未保存的修改</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="262" />
            <source>The phrase has errors and cannot be saved. Discard your changes?</source>
            <translation>话术有错误，无法保存。要放弃修改吗？</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="344" />
            <source>Add a category first; every phrase belongs to one.</source>
            <translation>请先添加分类，每条话术都要归属一个分类。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="355" />
            <source>Add phrase “{title}”</source>
            <translation>添加话术“{title}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="359" />
            <source>Edit phrase “{title}”</source>
            <translation>编辑话术“{title}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="364" />
            <source>Saved “{title}”.</source>
            <translation>已保存“{title}”。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="372" />
            <source>Phrases from a team pack cannot be deleted.</source>
            <translation>团队话术包中的话术不能删除。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/phrases_page.py" line="376" />
            <source>Delete %n phrase(s)</source>
            <translation>
                <numerusform>删除 %n 条话术</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/phrases_page.py" line="378" />
            <source>Deleted %n phrase(s). Press Ctrl+Z to undo.</source>
            <translation>
                <numerusform>已删除 %n 条话术。按 Ctrl+Z 可撤销。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="395" />
            <source>{title} (copy)</source>
            <translation>{title}（副本）</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/phrases_page.py" line="406" />
            <source>Duplicate %n phrase(s)</source>
            <translation>
                <numerusform>复制 %n 条话术</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/phrases_page.py" line="423" />
            <source>Move %n phrase(s) to “{name}”</source>
            <translation>
                <numerusform>将 %n 条话术移动到“{name}”</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="450" />
            <source>New sub-category</source>
            <translation>新建子分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="450" />
            <source>New category</source>
            <translation>新建分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="451" />
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="458" />
            <source>Add category “{name}”</source>
            <translation>添加分类“{name}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="465" />
            <source>Rename category to “{name}”</source>
            <translation>将分类重命名为“{name}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="480" />
            <source>Arrange categories</source>
            <translation>调整分类</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/phrases_page.py" line="491" />
            <source>Delete the category “{name}”, its sub-categories and %n phrase(s)? A backup is kept, and Ctrl+Z undoes it.</source>
            <translation>
                <numerusform>删除分类“{name}”及其子分类和其中的 %n 条话术？会保留备份，按 Ctrl+Z 可撤销。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="496" />
            <source>Delete category</source>
            <translation>删除分类</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/phrases_page.py" line="503" />
            <source>Delete category “{name}”</source>
            <translation>删除分类“{name}”</translation>
        </message>
    </context>
    <context>
        <name>PickerModel</name>
        <message>
            <location filename="../../app/ui/picker_rows.py" line="112" />
            <source>Warning: %1</source>
            <translation>提醒：%1</translation>
        </message>
        <message>
            <location filename="../../app/ui/picker_rows.py" line="109" />
            <source>Suggested: %1</source>
            <translation>推荐理由：%1</translation>
        </message>
    </context>
    <context>
        <name>PickerWindow</name>
        <message>
            <location filename="../../app/ui/picker.py" line="91" />
            <source>Huashu picker</source>
            <translation>话术快捷选择</translation>
        </message>
        <message>
            <location filename="../../app/ui/picker.py" line="115" />
            <source>Search by code, pinyin or text</source>
            <translation>按快捷编码、拼音或文字搜索</translation>
        </message>
        <message>
            <location filename="../../app/ui/picker.py" line="137" />
            <source>Up/Down select    Enter paste    Alt+1..9 pick    Esc close</source>
            <translation>↑/↓ 选择    Enter 粘贴    Alt+1..9 快速选取    Esc 关闭</translation>
        </message>
        <message>
            <location filename="../../app/ui/picker.py" line="201" />
            <source>No matches</source>
            <translation>没有匹配的话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/picker.py" line="201" />
            <source>No phrases yet</source>
            <translation>还没有话术</translation>
        </message>
    </context>
    <context>
        <name>ProfilePage</name>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="93" />
            <source>Your profile fills the placeholders {工号}, {客服} and {店铺} in every reply.</source>
            <translation>个人资料会填入每条回复中的 {工号}、{客服} 和 {店铺} 占位符。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="95" />
            <source>Agent &amp;number:</source>
            <translation>工号(&amp;N)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="96" />
            <source>Agent na&amp;me:</source>
            <translation>客服昵称(&amp;M)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="97" />
            <source>S&amp;hops:</source>
            <translation>店铺(&amp;H)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="98" />
            <source>A&amp;ctive shop:</source>
            <translation>当前店铺(&amp;C)：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="99" />
            <source>e.g. 1024</source>
            <translation>例如 1024</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="100" />
            <source>e.g. 阿华</source>
            <translation>例如 阿华</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="101" />
            <source>Add…</source>
            <translation>添加…</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="102" />
            <source>Rename</source>
            <translation>重命名</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="103" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="104" />
            <source>The shop used for {店铺}</source>
            <translation>用于 {店铺} 的店铺</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="145" />
            <source>Change agent number</source>
            <translation>修改工号</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="153" />
            <source>Change agent name</source>
            <translation>修改客服昵称</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="157" />
            <source>Add shop</source>
            <translation>添加店铺</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="157" />
            <source>Shop name:</source>
            <translation>店铺名称：</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="162" />
            <location filename="../../app/ui/settings/profile_page.py" line="197" />
            <source>The shop “{name}” is already in the list.</source>
            <translation>店铺“{name}”已在列表中。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="170" />
            <source>Add shop “{name}”</source>
            <translation>添加店铺“{name}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="187" />
            <source>Remove shop “{name}”</source>
            <translation>移除店铺“{name}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="209" />
            <source>Rename shop “{old}” to “{name}”</source>
            <translation>将店铺“{old}”重命名为“{name}”</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profile_page.py" line="233" />
            <source>Make “{name}” the active shop</source>
            <translation>将“{name}”设为当前店铺</translation>
        </message>
    </context>
    <context>
        <name>ProfilesPage</name>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="190" />
            <source>How a reply reaches each program: the paste key, the line-break key when typing, and whether to press Enter after pasting. Programs without a profile get Ctrl+V and Shift+Enter.</source>
            <translation>设置话术如何送达各个程序：粘贴键、逐字输入时的换行键，以及粘贴后是否按回车发送。没有配置的程序使用 Ctrl+V 和 Shift+Enter。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="195" />
            <source>Pick a window...</source>
            <translation>选择窗口...</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="197" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="198" />
            <source>Programs</source>
            <translation>程序</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="199" />
            <source>Title contains</source>
            <translation>标题包含</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="200" />
            <source>Paste with</source>
            <translation>粘贴方式</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="201" />
            <source>Line break when typing</source>
            <translation>输入时的换行键</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="202" />
            <source>Wait before the keys</source>
            <translation>按键前等待</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="203" />
            <source>Send after paste</source>
            <translation>粘贴后发送</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="204" />
            <source>Send key</source>
            <translation>发送键</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="205" />
            <source>Wait before sending</source>
            <translation>发送前等待</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="209" />
            <source>e.g. AliWorkbench.exe, XTerm</source>
            <translation>例如 AliWorkbench.exe, XTerm</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="210" />
            <source>optional, e.g. 千牛</source>
            <translation>可选，例如 千牛</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="211" />
            <source>type the text</source>
            <translation>逐字输入</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="212" />
            <source>Send automatically</source>
            <translation>自动发送</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="215" />
            <source>Send after paste presses the send key once after the reply; never for a reply with a compliance warning or a {cursor} position.</source>
            <translation>粘贴后发送：话术粘贴后按一次发送键；带合规提示或含 {cursor} 光标位置的话术不会自动发送。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="219" />
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="220" />
            <source>Reset</source>
            <translation>恢复默认</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="313" />
            <source>Name at least one program (executable or window class).</source>
            <translation>请至少填写一个程序（可执行文件名或窗口类名）。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="319" />
            <source>Saved the profile “{0}”.</source>
            <translation>已保存配置“{0}”。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="338" />
            <source>Could not save the app profiles: {0}</source>
            <translation>无法保存程序配置：{0}</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="348" />
            <source>Click into the chat program's window within {0} seconds...</source>
            <translation>请在 {0} 秒内点击聊天程序的窗口...</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="366" />
            <source>No other program's window was clicked.</source>
            <translation>没有点击其他程序的窗口。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="386" />
            <source>Profile created for {0}: adjust it and save.</source>
            <translation>已为 {0} 创建配置：请调整后保存。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="232" />
            <source>(built-in)</source>
            <translation>（内置）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/profiles_page.py" line="234" />
            <source>(changed)</source>
            <translation>（已修改）</translation>
        </message>
    </context>
    <context>
        <name>SettingsWindow</name>
        <message>
            <location filename="../../app/ui/settings/window.py" line="205" />
            <source>Huashu Settings</source>
            <extracomment>The window's preferred size; it shrinks to fit a 1366x768 screen with a taskbar and a 1280x720 logical screen (a 1080p laptop at 150 %). Room left for the window frame and title bar on each axis.</extracomment>
            <translation>话术 - 设置</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="207" />
            <source>Phrases</source>
            <translation>话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="208" />
            <source>Profile</source>
            <translation>个人资料</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="209" />
            <source>General</source>
            <translation>常规</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="210" />
            <source>Statistics</source>
            <translation>统计</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="216" />
            <source>Pages</source>
            <translation>页面</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="217" />
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="218" />
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="219" />
            <source>&amp;View</source>
            <translation>查看(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="220" />
            <source>&amp;Undo</source>
            <translation>撤销(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="221" />
            <source>&amp;Redo</source>
            <translation>重做(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="222" />
            <source>&amp;New phrase</source>
            <translation>新建话术(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="223" />
            <source>&amp;Filter phrases</source>
            <translation>筛选话术(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="224" />
            <source>&amp;Close</source>
            <translation>关闭(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="225" />
            <source>&amp;Import phrases...</source>
            <translation>导入话术(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="226" />
            <source>&amp;Export phrases...</source>
            <translation>导出话术(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="227" />
            <source>&amp;Subscribe to a team pack...</source>
            <translation>订阅团队话术包(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="228" />
            <source>&amp;Unsubscribe</source>
            <translation>取消订阅(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="249" />
            <source>My phrases</source>
            <translation>我的话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="250" />
            <location filename="../../app/ui/settings/window.py" line="290" />
            <source>Huashu pack (*.toml)</source>
            <translation>话术包 (*.toml)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="251" />
            <source>Qianniu CSV (*.csv)</source>
            <translation>千牛 CSV (*.csv)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="253" />
            <location filename="../../app/ui/settings/window.py" line="274" />
            <source>Export phrases</source>
            <translation>导出话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="271" />
            <source>Export failed</source>
            <translation>导出失败</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/window.py" line="274" />
            <source>Exported %n phrase(s).</source>
            <translation>
                <numerusform>已导出 %n 条话术。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="290" />
            <source>Subscribe to a team pack</source>
            <translation>订阅团队话术包</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="299" />
            <location filename="../../app/ui/settings/window.py" line="303" />
            <source>Cannot subscribe</source>
            <translation>无法订阅</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="309" />
            <source>Subscribed</source>
            <translation>已订阅</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/window.py" line="310" />
            <source>%n phrase(s) from the team pack are now in your library.</source>
            <translation>
                <numerusform>团队话术包中的 %n 条话术已加入您的话术库。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="320" />
            <source>(no team packs)</source>
            <translation>（没有团队话术包）</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="333" />
            <source>Cannot unsubscribe</source>
            <translation>无法取消订阅</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="373" />
            <source>Start at login could not be changed: {error}</source>
            <translation>无法修改开机自启动设置：{error}</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="397" />
            <source>Not saved</source>
            <translation>未保存</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="398" />
            <source>The change could not be saved: {error}</source>
            <translation>无法保存修改：{error}</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="427" />
            <source>Unsaved changes</source>
            <translation>未保存的修改</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="428" />
            <source>The phrase has errors and cannot be saved. Close and discard them?</source>
            <translation>话术有错误，无法保存。要关闭并放弃修改吗？</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/window.py" line="211" />
            <source>Apps</source>
            <translation>程序</translation>
        </message>
    </context>
    <context>
        <name>StatsPage</name>
        <message>
            <location filename="../../app/ui/settings/stats_page.py" line="181" />
            <source>&amp;Period:</source>
            <translation>时间范围(&amp;P)：</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/stats_page.py" line="186" />
            <source>Last %n day(s)</source>
            <translation>
                <numerusform>最近 %n 天</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/stats_page.py" line="189" />
            <source>Uses per category</source>
            <translation>各分类使用次数</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/stats_page.py" line="190" />
            <source>No phrase was used in this period.</source>
            <translation>此期间没有使用任何话术。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/stats_page.py" line="191" />
            <source>&amp;Most used</source>
            <translation>最常用(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/stats_page.py" line="192" />
            <source>&amp;Least used</source>
            <translation>最少用(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/stats_page.py" line="193" />
            <source>&amp;Never used</source>
            <translation>从未使用(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/stats_page.py" line="195" />
            <source>Phrase</source>
            <translation>话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/stats_page.py" line="195" />
            <source>Uses</source>
            <translation>使用次数</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/stats_page.py" line="250" />
            <source>%n use(s) in this period.</source>
            <translation>
                <numerusform>此期间共使用 %n 次。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/settings/stats_page.py" line="252" />
            <source>%n phrase(s) never used.</source>
            <translation>
                <numerusform>%n 条话术从未使用。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SubscriptionWatcher</name>
        <message>
            <location filename="../../app/ui/subscription_watcher.py" line="201" />
            <source>{name}: {added} added, {changed} changed, {removed} removed</source>
            <translation>{name}：新增 {added} 条，修改 {changed} 条，删除 {removed} 条</translation>
        </message>
        <message>
            <location filename="../../app/ui/subscription_watcher.py" line="210" />
            <source>Warning: {warning}</source>
            <translation>提醒：{warning}</translation>
        </message>
    </context>
    <context>
        <name>TrayController</name>
        <message>
            <location filename="../../app/ui/tray.py" line="188" />
            <source>(empty)</source>
            <translation>（空）</translation>
        </message>
        <message numerus="yes">
            <location filename="../../app/ui/tray.py" line="197" />
            <source>%n more in the picker...</source>
            <translation>
                <numerusform>快捷选择中还有 %n 条…</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../app/ui/tray.py" line="151" />
            <source>Settings...</source>
            <translation>设置…</translation>
        </message>
        <message>
            <location filename="../../app/ui/tray.py" line="155" />
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <location filename="../../app/ui/tray.py" line="173" />
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <location filename="../../app/ui/tray.py" line="201" />
            <source>Open picker</source>
            <translation>打开快捷选择</translation>
        </message>
        <message>
            <location filename="../../app/ui/tray.py" line="207" />
            <source>Resume hotkeys</source>
            <translation>恢复快捷键</translation>
        </message>
        <message>
            <location filename="../../app/ui/tray.py" line="207" />
            <source>Pause hotkeys</source>
            <translation>暂停快捷键</translation>
        </message>
        <message>
            <location filename="../../app/ui/tray.py" line="219" />
            <source>Huashu</source>
            <translation>话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/tray.py" line="149" />
            <source>Docked panel</source>
            <translation>话术面板</translation>
        </message>
        <message>
            <location filename="../../app/ui/tray.py" line="223" />
            <source>(paused)</source>
            <translation>（已暂停）</translation>
        </message>
    </context>
    <context>
        <name>HuashuApp</name>
        <message>
            <location filename="../../app/main.py" line="106" />
            <location filename="../../app/main.py" line="191" />
            <source>A file could not be loaded: %1</source>
            <translation>有文件无法加载：%1</translation>
        </message>
        <message>
            <location filename="../../app/main.py" line="181" />
            <source>No system tray is available: hotkeys and the picker still work; open the picker with %1.</source>
            <translation>系统托盘不可用：快捷键和快捷选择仍可使用，请按 %1 打开快捷选择。</translation>
        </message>
        <message>
            <location filename="../../app/main.py" line="292" />
            <source>The shop could not be saved: %1</source>
            <translation>无法保存店铺:%1</translation>
        </message>
        <message>
            <location filename="../../app/ui/backends.py" line="40" />
            <source>Huashu cannot send keystrokes here (%1): replies are copied; paste them with Ctrl+V.</source>
            <translation>话术无法在此发送按键（%1）：回复会复制到剪贴板，请按 Ctrl+V 粘贴。</translation>
        </message>
        <message>
            <location filename="../../app/ui/backends.py" line="61" />
            <source>The clipboard backend %1 does not work here (%2); using the Qt clipboard.</source>
            <translation>剪贴板后端 %1 在此无法使用（%2），已改用 Qt 剪贴板。</translation>
        </message>
        <message>
            <location filename="../../app/ui/backends.py" line="82" />
            <source>Chinese input may not work in Huashu's own windows (picker, fill-in form): %1. Replies are still pasted; type Chinese fill-in values elsewhere and paste them.</source>
            <translation>在话术自己的窗口（快捷选择、填写表单）中可能无法输入中文：%1。话术仍可正常粘贴；需要填写的中文内容可以在别处输入后粘贴进来。</translation>
        </message>
        <message>
            <location filename="../../app/ui/hotkey_actions.py" line="74" />
            <source>The hotkey backend %1 does not work here (%2); using automatic choice.</source>
            <translation>快捷键后端 %1 在此无法使用（%2），已改为自动选择。</translation>
        </message>
        <message>
            <location filename="../../app/ui/hotkey_actions.py" line="82" />
            <source>Global hotkeys are not available (%1). Use the picker from the tray menu.</source>
            <translation>全局快捷键不可用（%1）。请从托盘菜单打开快捷选择。</translation>
        </message>
        <message>
            <location filename="../../app/ui/hotkey_actions.py" line="100" />
            <source>the picker</source>
            <translation>快捷选择</translation>
        </message>
        <message>
            <location filename="../../app/ui/hotkey_actions.py" line="101" />
            <source>pause/resume</source>
            <translation>暂停/恢复</translation>
        </message>
        <message>
            <location filename="../../app/ui/hotkey_actions.py" line="102" />
            <source>suggestions for the copied message</source>
            <translation>为复制的消息推荐回复</translation>
        </message>
        <message>
            <location filename="../../app/ui/hotkey_actions.py" line="103" />
            <source>the docked panel</source>
            <translation>话术面板</translation>
        </message>
        <message>
            <location filename="../../app/ui/hotkey_actions.py" line="144" />
            <source>Hotkeys paused.</source>
            <translation>快捷键已暂停。</translation>
        </message>
        <message>
            <location filename="../../app/ui/hotkey_actions.py" line="144" />
            <source>Hotkeys resumed.</source>
            <translation>快捷键已恢复。</translation>
        </message>
        <message>
            <location filename="../../app/ui/phrase_flow.py" line="122" />
            <source>That phrase no longer exists.</source>
            <translation>该话术已不存在。</translation>
        </message>
        <message>
            <location filename="../../app/ui/phrase_flow.py" line="126" />
            <source>This reply uses %1, which is empty in your profile; set it in Settings &gt; Profile.</source>
            <translation>这条回复用到了 %1,但您的个人资料中还没有填写;请在 设置 &gt; 个人资料 中填写。</translation>
        </message>
        <message>
            <location filename="../../app/ui/phrase_flow.py" line="173" />
            <source>Recent fill-in values could not be saved (%1); replies still work.</source>
            <translation>最近填写的内容无法保存(%1);回复仍可正常使用。</translation>
        </message>
        <message>
            <location filename="../../app/ui/phrase_flow.py" line="200" />
            <source>Use counts could not be saved (%1); replies still work.</source>
            <translation>使用次数无法保存(%1);回复仍可正常使用。</translation>
        </message>
        <message>
            <location filename="../../app/ui/picker_controller.py" line="83" />
            <source>Preparing suggestions…</source>
            <translation>正在准备推荐…</translation>
        </message>
        <message>
            <location filename="../../app/ui/picker_controller.py" line="84" />
            <source>Nothing fits this message</source>
            <translation>没有适合这条消息的话术</translation>
        </message>
        <message>
            <location filename="../../app/ui/picker_controller.py" line="111" />
            <source>Copy the customer's message first, then press %1.</source>
            <translation>请先复制顾客的消息，再按 %1。</translation>
        </message>
        <message>
            <location filename="../../app/ui/team_packs.py" line="74" />
            <source>Team pack changed a lot</source>
            <translation>团队话术包变化很大</translation>
        </message>
        <message>
            <location filename="../../app/ui/team_packs.py" line="75" />
            <source>The new version of the team pack %1 removes %2 of its %3 phrases. Use the new version? Until you accept, Huashu keeps the last good copy.</source>
            <translation>团队话术包 %1 的新版本删掉了 %3 条话术中的 %2 条。要使用新版本吗?在您同意之前,话术会继续使用上次的有效副本。</translation>
        </message>
    </context>
    <context>
        <name>HotkeyProblem</name>
        <message>
            <location filename="../../app/ui/settings/hotkey_edit.py" line="118" />
            <source>The hotkey %1 for %2 is not valid; change it in the settings.</source>
            <translation>%2 的快捷键 %1 无效，请在设置中修改。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/hotkey_edit.py" line="120" />
            <source>Hotkey %1 is bound twice: %2 and %3; only the first works.</source>
            <translation>快捷键 %1 被重复绑定：%2 和 %3，只有前者生效。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/hotkey_edit.py" line="127" />
            <source>Hotkey %1 for %2 cannot be used: another program already uses it.</source>
            <translation>%2 的快捷键 %1 无法使用：其他程序已占用该快捷键。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/hotkey_edit.py" line="131" />
            <source>Hotkey %1 for %2 cannot be used: its key is not on this keyboard layout.</source>
            <translation>%2 的快捷键 %1 无法使用：当前键盘布局中没有这个键。</translation>
        </message>
        <message>
            <location filename="../../app/ui/settings/hotkey_edit.py" line="136" />
            <source>Hotkey %1 for %2 cannot be used: the system refused it.</source>
            <translation>%2 的快捷键 %1 无法使用：系统拒绝了该快捷键。</translation>
        </message>
    </context>
</TS>
