; Installer of Huashu 话术 for 64-bit Windows 10/11, built on Linux with Debian's NSIS by
; packaging/build-windows.sh:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DSRCDIR=dist/Huashu
;            -DICON=build/windows/huashu.ico -DOUTFILE=dist/Huashu-0.1.0-setup.exe installer.nsi
;
; Per user, no administrator rights: %LOCALAPPDATA%\Programs\Huashu, a start-menu entry,
; optional start at login (the HKCU Run value "Huashu", the same one the app's own setting
; writes) and an optional desktop shortcut. Chinese (Simplified) UI.
; The uninstaller removes the program files it installed and its entries, and never the
; user's data: %LOCALAPPDATA%\huashu (phrases, settings, backups, logs) stays.
; Silent: Huashu-<version>-setup.exe /S [/D=C:\path]   and   uninstall.exe /S

; A 64-bit installer: Huashu is 64-bit only (a 64-bit exe does not start on 32-bit Windows)
; and Wine without wine32 runs only 64-bit programs. No Windows-version check in .onInit:
; WinVer.nsh's AtLeastWin10 is false under Wine 8 even where Windows 10 is reported.
Target amd64-unicode
SetCompressor /SOLID lzma
ManifestDPIAware true
ManifestSupportedOS Win10

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!define APP_NAME "话术 Huashu"
!define EXE "Huashu.exe"
!define SHORTCUT "话术 Huashu.lnk"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Huashu"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Huashu"
InstallDirRegKey HKCU "Software\Huashu" "InstallDir"
RequestExecutionLevel user
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "话术 Huashu 安装程序"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT License"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "话术是电商客服的快捷回复助手：按快捷键，常用回复即可粘贴到聊天窗口。$\r$\n$\r$\n安装无需管理员权限。点击“下一步”继续。"
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即启动话术"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从您的电脑卸载话术程序。$\r$\n您的话术、设置和备份保存在 %LOCALAPPDATA%\huashu，卸载不会删除它们。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

; Close this user's running Huashu so its files can be replaced or removed.
!macro CLOSE_HUASHU
  ReadEnvStr $0 USERNAME
  nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM ${EXE} /FI "USERNAME eq $0"'
  Pop $0
!macroend


Section "话术主程序（必选）" SecMain
  SectionIn RO
  !insertmacro CLOSE_HUASHU
  SetOutPath "$INSTDIR"
  RMDir /r "$INSTDIR\_internal" ; the previous version's libraries, never user data
  File /r "${SRCDIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  WriteRegStr HKCU "Software\Huashu" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "Huashu"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" '"$INSTDIR\${EXE}"'
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "开机自动启动" SecAutostart
  WriteRegStr HKCU "${RUN_KEY}" "Huashu" '"$INSTDIR\${EXE}"'
SectionEnd

Section /o "桌面快捷方式" SecDesktop
  CreateShortcut "$DESKTOP\${SHORTCUT}" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
SectionEnd

Section "Uninstall"
  !insertmacro CLOSE_HUASHU
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  DeleteRegValue HKCU "${RUN_KEY}" "Huashu" ; the program is gone: do not start it at login
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\Huashu"
  ; Only what the installer put here; the user's data lives in %LOCALAPPDATA%\huashu.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
