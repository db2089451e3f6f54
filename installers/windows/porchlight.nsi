; The Windows installer for Porchlight, built by `make release` (see the
; Makefile's `windows` target) with Debian's nsis:
;   makensis -DVERSION=0.1.0 -DSTAGE=DIR -DOUTFILE=porchlight-setup.exe porchlight.nsi
; STAGE holds porchlight.exe, porchlight-window.exe and porchlight.ico.
;
; A per-user install (no administrator): the programs go to
; %LOCALAPPDATA%\Programs\Porchlight, and everything registered lives under
; HKEY_CURRENT_USER: the porchlight:// URL scheme, start at login, and the
; entry in Settings > Apps.

Unicode true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION
  !error "define VERSION (makensis -DVERSION=0.1.0)"
!endif
!ifndef STAGE
  !error "define STAGE, the folder holding the built programs"
!endif
!ifndef OUTFILE
  !define OUTFILE "porchlight-setup-${VERSION}-windows-amd64.exe"
!endif

!define APP "Porchlight"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Porchlight"
!define SCHEME_KEY "Software\Classes\porchlight"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Porchlight"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
Icon "${STAGE}\porchlight.ico"
UninstallIcon "${STAGE}\porchlight.ico"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "Porchlight installer"
VIAddVersionKey "LegalCopyright" "The Porchlight authors"

!include "MUI2.nsh"
!define MUI_ICON "${STAGE}\porchlight.ico"
!define MUI_UNICON "${STAGE}\porchlight.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\porchlight.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start Porchlight"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Porchlight" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${STAGE}\porchlight.exe"
  File "${STAGE}\porchlight-window.exe"
  File "${STAGE}\porchlight.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; The Start menu entry.
  CreateShortcut "$SMPROGRAMS\Porchlight.lnk" "$INSTDIR\porchlight.exe" "" "$INSTDIR\porchlight.ico" 0

  ; porchlight:// invite links run `porchlight open LINK`.
  WriteRegStr HKCU "${SCHEME_KEY}" "" "URL:Porchlight invite"
  WriteRegStr HKCU "${SCHEME_KEY}" "URL Protocol" ""
  WriteRegStr HKCU "${SCHEME_KEY}\DefaultIcon" "" "$INSTDIR\porchlight.ico,0"
  WriteRegStr HKCU "${SCHEME_KEY}\shell\open\command" "" '"$INSTDIR\porchlight.exe" open "%1"'

  ; Settings > Apps.
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "The Porchlight authors"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\porchlight.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

; Porchlight with no verb is the tray only: the hidden way to start.
Section "Start at login" SecLogin
  WriteRegStr HKCU "${RUN_KEY}" "Porchlight" '"$INSTDIR\porchlight.exe"'
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "Porchlight, its window, the Start menu entry and the porchlight:// link handler."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecLogin} "Start Porchlight in the notification area when you log in."
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  ; A running Porchlight holds its files open; ask it to stop first.
  nsExec::Exec 'taskkill /IM porchlight-window.exe'
  nsExec::Exec 'taskkill /IM porchlight.exe'
  Sleep 1000
  Delete "$INSTDIR\porchlight.exe"
  Delete "$INSTDIR\porchlight-window.exe"
  Delete "$INSTDIR\porchlight.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Porchlight.lnk"
  DeleteRegKey HKCU "${SCHEME_KEY}"
  DeleteRegValue HKCU "${RUN_KEY}" "Porchlight"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; Friends, shares and keys stay in the data folder: removing the program
  ; must not end friendships.
SectionEnd
