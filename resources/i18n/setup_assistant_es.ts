<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>AddressPage</name>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="48"/>
        <source>Set up your {provider} email</source>
        <translation>Configure su correo de {provider}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="51"/>
        <source>This assistant checks your account and sets up your mail program. You only need your address and password.</source>
        <translation>Este asistente revisa su cuenta y configura su programa de correo. Solo necesita su dirección y su contraseña.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="58"/>
        <source>{provider} logo</source>
        <translation>Logotipo de {provider}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="60"/>
        <source>{provider} is the email service of {organization}.</source>
        <translation>{provider} es el servicio de correo electrónico de {organization}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="69"/>
        <source>name@your-domain.org</source>
        <translation>nombre@su-dominio.org</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="70"/>
        <source>Email address</source>
        <translation>Dirección de correo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="71"/>
        <location filename="../../setup_assistant/gui/pages/address.py" line="138"/>
        <source>Your full email address; it is also your username.</source>
        <translation>Su dirección de correo completa; también es su nombre de usuario.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="76"/>
        <source>for example, Jane Doe</source>
        <translation>por ejemplo, Ana Pérez</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="77"/>
        <source>Your name</source>
        <translation>Su nombre</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="78"/>
        <source>Shown as the sender of your messages.</source>
        <translation>Aparece como remitente de sus mensajes.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="82"/>
        <source>&amp;Email address:</source>
        <translation>&amp;Dirección de correo:</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="84"/>
        <source>Your &amp;name:</source>
        <translation>Su n&amp;ombre:</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="85"/>
        <source>People you write to see this name beside your address.</source>
        <translation>Las personas a quienes les escribe ven este nombre junto a su dirección.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/address.py" line="101"/>
        <source>Your username is your full email address; the assistant uses it for you.</source>
        <translation>Su nombre de usuario es su dirección de correo completa; el asistente la usa por usted.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../setup_assistant/gui/app.py" line="64"/>
        <source>Setup Assistant</source>
        <translation>Asistente de configuración</translation>
    </message>
</context>
<context>
    <name>CertificatePage</name>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="67"/>
        <source>Trust the {provider} certificate</source>
        <translation>Confiar en el certificado de {provider}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="68"/>
        <source>So that your mail programs do not warn about the server every time.</source>
        <translation>Para que sus programas de correo no muestren una advertencia sobre el servidor cada vez.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="73"/>
        <source>The mail server proves who it is with a certificate. Yours is vouched for by a root certificate that your mail programs do not know yet, so they would show a warning. The guide recommends installing this root certificate. The assistant has checked that its copy is the genuine one: its fingerprint matches the one built into the assistant.</source>
        <translation>El servidor de correo demuestra quién es con un certificado. El suyo está respaldado por un certificado raíz que sus programas de correo todavía no conocen, así que mostrarían una advertencia. La guía recomienda instalar este certificado raíz. El asistente comprobó que su copia es la auténtica: su huella digital coincide con la que trae incorporada el asistente.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="82"/>
        <source>Certificate fingerprint</source>
        <translation>Huella digital del certificado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="85"/>
        <source>It will be installed here:</source>
        <translation>Se instalará aquí:</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="91"/>
        <source>&amp;Install the certificate</source>
        <translation>&amp;Instalar el certificado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="93"/>
        <source>Installs the provider&apos;s root certificate for your mail programs.</source>
        <translation>Instala el certificado raíz del proveedor para sus programas de correo.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="105"/>
        <source>You can also continue without it: your mail program will then ask you to accept the certificate itself. If you are only saving files for another computer, skip this: the Apple Mail profile carries the certificate, and the instructions explain the rest.</source>
        <translation>También puede continuar sin él: en ese caso, su programa de correo le pedirá que acepte el certificado. Si solo está guardando archivos para otra computadora, omita este paso: el perfil de Apple Mail lleva el certificado y las instrucciones explican el resto.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="118"/>
        <source>Certificate: {name}
SHA-256 fingerprint:
{fingerprint}</source>
        <translation>Certificado: {name}
Huella digital SHA-256:
{fingerprint}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="132"/>
        <source>• {place}, for {programs}</source>
        <translation>• {place}, para {programs}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="140"/>
        <source>Windows will ask you to confirm that you want to install it: choose “Yes”.</source>
        <translation>Windows le pedirá que confirme que desea instalarlo: elija «Sí».</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="142"/>
        <source>macOS will ask for your login password, to add the certificate to your keychain.</source>
        <translation>macOS le pedirá su contraseña de inicio de sesión para agregar el certificado a su llavero.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="144"/>
        <source>Thunderbird must be closed while the certificate is installed.</source>
        <translation>Thunderbird debe estar cerrado mientras se instala el certificado.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="166"/>
        <source>Still finishing what was started before; try again in a moment.</source>
        <translation>Todavía se está terminando lo que se empezó antes; vuelva a intentarlo en un momento.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="189"/>
        <source>Installing…</source>
        <translation>Instalando…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="209"/>
        <source>There is nothing to install on this computer.</source>
        <translation>No hay nada que instalar en esta computadora.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="216"/>
        <source>The certificate is installed in {place}.</source>
        <translation>El certificado está instalado en {place}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="228"/>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="254"/>
        <source>Try &amp;again</source>
        <translation>&amp;Reintentar</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="236"/>
        <source>Installed in {place}.</source>
        <translation>Instalado en {place}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="238"/>
        <source>Already in {place}.</source>
        <translation>Ya está en {place}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="240"/>
        <source>Not needed in {place}.</source>
        <translation>No hace falta en {place}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="243"/>
        <source>Not installed in {place}, because you said no. That is fine: you can continue, and your mail program will ask about the certificate itself.</source>
        <translation>No se instaló en {place} porque usted dijo que no. No hay problema: puede continuar, y su programa de correo le preguntará por el certificado.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="246"/>
        <source>Could not install it in {place}: {why}</source>
        <translation>No se pudo instalar en {place}: {why}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/certificate.py" line="258"/>
        <source>The certificate could not be installed: {error}</source>
        <translation>No se pudo instalar el certificado: {error}</translation>
    </message>
</context>
<context>
    <name>CheckingPage</name>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="69"/>
        <source>Checking your account</source>
        <translation>Revisando su cuenta</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="72"/>
        <source>The assistant tries every way to reach the {provider} servers at once. This takes a few seconds.</source>
        <translation>El asistente prueba a la vez todas las formas de llegar a los servidores de {provider}. Esto tarda unos segundos.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="77"/>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="77"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="77"/>
        <source>Time</source>
        <translation>Tiempo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="82"/>
        <source>Connection checks</source>
        <translation>Pruebas de conexión</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="90"/>
        <source>Progress of the checks</source>
        <translation>Avance de las pruebas</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="158"/>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="261"/>
        <source>Checking…</source>
        <translation>Revisando…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="176"/>
        <source>Checking the password (the connections are known)…</source>
        <translation>Revisando la contraseña (las conexiones ya se conocen)…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="222"/>
        <source>Stopping…</source>
        <translation>Deteniendo…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="243"/>
        <source>{what} · port {port} · {security}</source>
        <translation>{what} · puerto {port} · {security}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="250"/>
        <source>{what}, port {port}, {security}</source>
        <translation>{what}, puerto {port}, {security}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="266"/>
        <source>Sign-in for {what}</source>
        <translation>Inicio de sesión para {what}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="269"/>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="271"/>
        <source>Not tested (no password)</source>
        <translation>Sin probar (no hay contraseña)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="287"/>
        <source>no time yet</source>
        <translation>todavía sin tiempo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="314"/>
        <source>Sign-in for {what} · port {port}</source>
        <translation>Inicio de sesión para {what} · puerto {port}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="321"/>
        <source>Sign-in for {what}, port {port}</source>
        <translation>Inicio de sesión para {what}, puerto {port}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="350"/>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="352"/>
        <source>Not tested (no secure connection)</source>
        <translation>Sin probar (no hay conexión segura)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="357"/>
        <source>Press Next to see what this means.</source>
        <translation>Pulse «Siguiente» para ver qué significa esto.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="372"/>
        <source>The check failed unexpectedly ({error}). Press “Check again”; if it keeps failing, ask your help desk.</source>
        <translation>La revisión falló de forma inesperada ({error}). Pulse «Revisar de nuevo»; si sigue fallando, consulte a su mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="388"/>
        <source>&amp;Stop</source>
        <translation>&amp;Detener</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="389"/>
        <source>Stops the checks now.</source>
        <translation>Detiene las pruebas ahora.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="391"/>
        <source>Check &amp;again</source>
        <translation>&amp;Revisar de nuevo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="392"/>
        <source>Runs all the checks again.</source>
        <translation>Vuelve a hacer todas las pruebas.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="419"/>
        <source>Waiting for port {ports} to answer… {seconds} s (it is given up to {limit} s)</source>
        <translation>Esperando la respuesta del puerto {ports}… {seconds} s (se espera hasta {limit} s)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="420"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/checking.py" line="425"/>
        <source>Checking the password… {seconds} s</source>
        <translation>Revisando la contraseña… {seconds} s</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="42"/>
        <location filename="../../setup_assistant/gui/pages/done.py" line="136"/>
        <source>All set</source>
        <translation>Todo listo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="47"/>
        <source>&lt;b&gt;What next&lt;/b&gt;</source>
        <translation>&lt;b&gt;Qué sigue&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="50"/>
        <source>What next</source>
        <translation>Qué sigue</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="56"/>
        <source>Save a &amp;settings sheet…</source>
        <translation>Guardar una &amp;hoja de configuración…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="57"/>
        <source>A printable page with your settings; no password.</source>
        <translation>Una página para imprimir con su configuración; sin contraseña.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="59"/>
        <source>Save a &amp;report for the help desk…</source>
        <translation>Guardar un &amp;informe para la mesa de ayuda…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="60"/>
        <source>The check&apos;s details as a file; no password.</source>
        <translation>Los detalles de la revisión en un archivo; sin contraseña.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="87"/>
        <source>Not tested: the {provider} servers could not be reached from here, so these are the provider&apos;s published settings. Once the computer is online, run the assistant again to check them.</source>
        <translation>Sin probar: no se pudo llegar a los servidores de {provider} desde aquí, así que esta es la configuración que publica el proveedor. Cuando la computadora tenga conexión a internet, vuelva a abrir el asistente para revisarla.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="105"/>
        <source>Nothing was set up on this computer: the files for {address} are ready for the other computer.</source>
        <translation>No se configuró nada en esta computadora: los archivos para {address} están listos para la otra computadora.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="109"/>
        <source>The server did not accept the password typed here: check it, or ask your postmaster to reset it.</source>
        <translation>El servidor no aceptó la contraseña que se escribió aquí: revísela o pídale al administrador de correo de su organización que la restablezca.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="112"/>
        <source>Files saved</source>
        <translation>Archivos guardados</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="113"/>
        <source>Files saved (not tested)</source>
        <translation>Archivos guardados (sin probar)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="114"/>
        <source>Nothing was set up on this computer: the files for {address} use settings that could not be tested from here.</source>
        <translation>No se configuró nada en esta computadora: los archivos para {address} usan una configuración que no se pudo probar desde aquí.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="118"/>
        <source>Set up, not tested</source>
        <translation>Configurado, sin probar</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="119"/>
        <source>{address} is set up with settings that could not be tested from here.</source>
        <translation>{address} quedó configurado con una configuración que no se pudo probar desde aquí.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="122"/>
        <source>Set up, but the password was not accepted</source>
        <translation>Configurado, pero no se aceptó la contraseña</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="123"/>
        <source>{address} is set up, but the server did not accept the password: check it, or ask your postmaster to reset it.</source>
        <translation>{address} quedó configurado, pero el servidor no aceptó la contraseña: revísela o pídale al administrador de correo de su organización que la restablezca.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="127"/>
        <source>Set up: accept the certificate once</source>
        <translation>Configurado: acepte el certificado una vez</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="128"/>
        <source>{address} is set up, but {programs} will ask you to accept the server&apos;s certificate, because the {provider} certificate was not installed.</source>
        <translation>{address} quedó configurado, pero {programs} le pedirá que acepte el certificado del servidor, porque no se instaló el certificado de {provider}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="136"/>
        <source>Your email {address} is set up and tested.</source>
        <translation>Su correo {address} quedó configurado y probado.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="138"/>
        <source>Set up</source>
        <translation>Configurado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="139"/>
        <source>{address} is set up and the servers were tested; the password was not (none was typed), so your mail program will ask for it.</source>
        <translation>{address} quedó configurado y se probaron los servidores; la contraseña no (no se escribió ninguna), así que su programa de correo se la pedirá.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="142"/>
        <source>Set up, sign-in not tested</source>
        <translation>Configurado, sin probar el inicio de sesión</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="143"/>
        <source>{address} is set up and the servers answer, but signing in could not be completed during the check.</source>
        <translation>{address} quedó configurado y los servidores responden, pero no se pudo completar el inicio de sesión durante la revisión.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="152"/>
        <source>Your password is kept in {where}.</source>
        <translation>Su contraseña se guarda en {where}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="186"/>
        <source>{program} could not be started. Start it yourself from your computer&apos;s menu.</source>
        <translation>No se pudo abrir {program}. Ábralo usted desde el menú de su computadora.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="191"/>
        <source>This computer could not open it. Open it yourself: the path is shown above (select it to copy it).</source>
        <translation>Esta computadora no pudo abrirlo. Ábralo usted: la ubicación aparece arriba (selecciónela para copiarla).</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="224"/>
        <source>Save a settings sheet</source>
        <translation>Guardar una hoja de configuración</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="224"/>
        <source>Web page (*.html);;PDF (*.pdf)</source>
        <translation>Página web (*.html);;PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="234"/>
        <location filename="../../setup_assistant/gui/pages/done.py" line="238"/>
        <source>The settings sheet could not be saved: {error}</source>
        <translation>No se pudo guardar la hoja de configuración: {error}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="241"/>
        <source>Saved: {path}. It does not contain your password.</source>
        <translation>Guardada: {path}. No contiene su contraseña.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="244"/>
        <source>Saved: {path}. Open it in a browser to print it; it does not contain your password.</source>
        <translation>Guardada: {path}. Ábrala en un navegador para imprimirla; no contiene su contraseña.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="252"/>
        <source>Save a report for the help desk</source>
        <translation>Guardar un informe para la mesa de ayuda</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/done.py" line="252"/>
        <source>Report (*.html)</source>
        <translation>Informe (*.html)</translation>
    </message>
</context>
<context>
    <name>Explain</name>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="52"/>
        <source>receiving mail (IMAP)</source>
        <translation>recibir correo (IMAP)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="53"/>
        <source>receiving mail (POP)</source>
        <translation>recibir correo (POP)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="54"/>
        <source>sending mail</source>
        <translation>enviar correo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="65"/>
        <source>Works, encrypted</source>
        <translation>Funciona, cifrado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="66"/>
        <source>Server name not found</source>
        <translation>No se encontró el nombre del servidor</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="67"/>
        <source>No answer (blocked?)</source>
        <translation>Sin respuesta (¿bloqueado?)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="68"/>
        <source>Connection refused</source>
        <translation>Conexión rechazada</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="69"/>
        <source>Connection cut off</source>
        <translation>Conexión cortada</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="70"/>
        <source>No encryption offered</source>
        <translation>No ofrece cifrado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="71"/>
        <source>Not a mail server</source>
        <translation>No es un servidor de correo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="72"/>
        <source>Encryption failed</source>
        <translation>Falló el cifrado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="73"/>
        <source>Certificate not trusted</source>
        <translation>Certificado no confiable</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="74"/>
        <source>Certificate expired</source>
        <translation>Certificado vencido</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="75"/>
        <source>Certificate for another server</source>
        <translation>Certificado de otro servidor</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="76"/>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="90"/>
        <source>Password accepted</source>
        <translation>Contraseña aceptada</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="91"/>
        <source>Password not accepted</source>
        <translation>Contraseña no aceptada</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="92"/>
        <source>Could not sign in</source>
        <translation>No se pudo iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="99"/>
        <source>Port {port} could not be checked</source>
        <translation>No se pudo revisar el puerto {port}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="103"/>
        <source>The server on port {port} accepted the connection but did not set up encryption</source>
        <translation>El servidor del puerto {port} aceptó la conexión, pero no estableció el cifrado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="107"/>
        <source>Your network blocks port {port}</source>
        <translation>Su red bloquea el puerto {port}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="109"/>
        <source>Port {port} refuses connections on this network</source>
        <translation>El puerto {port} rechaza las conexiones en esta red</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="113"/>
        <source>The server on port {port} did not offer encryption (something on this network may remove it)</source>
        <translation>El servidor del puerto {port} no ofreció cifrado (puede que algo en esta red lo quite)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="117"/>
        <source>The certificate on port {port} could not be verified</source>
        <translation>No se pudo verificar el certificado del puerto {port}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="121"/>
        <source>The server name could not be looked up for port {port}</source>
        <translation>No se pudo buscar el nombre del servidor para el puerto {port}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="124"/>
        <source>Port {port} did not work</source>
        <translation>El puerto {port} no funcionó</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="133"/>
        <source>The server&apos;s certificate is out of date ({detail}). If this computer&apos;s date and time are wrong, correct them and check again; otherwise tell your help desk.</source>
        <translation>El certificado del servidor está vencido ({detail}). Si la fecha y la hora de esta computadora no son correctas, corríjalas y vuelva a revisar; si no, avísele a su mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="139"/>
        <source>The server answered with a certificate for a different server ({detail}). Something on this network may be intercepting mail. Do not use this network for email; try another one or ask your help desk.</source>
        <translation>El servidor respondió con un certificado de otro servidor ({detail}). Puede que algo en esta red esté interceptando el correo. No use esta red para el correo; pruebe con otra o consulte a su mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="146"/>
        <source>The server&apos;s certificate is signed by a trusted authority but is not meant for a mail server ({detail}). Mail programs refuse it, so the assistant did not send your password. Tell your help desk: the provider has to fix the certificate.</source>
        <translation>El certificado del servidor está firmado por una autoridad de confianza, pero no es para un servidor de correo ({detail}). Los programas de correo lo rechazan, así que el asistente no envió su contraseña. Avísele a su mesa de ayuda: el proveedor tiene que corregir el certificado.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="153"/>
        <source>The server&apos;s certificate is not vouched for by anyone this computer trusts, not even by the provider&apos;s own certificate authority. Something on this network may be intercepting mail (this happens on some hotel and public Wi-Fi). Try another network, or ask your help desk.</source>
        <translation>Nadie en quien confíe esta computadora respalda el certificado del servidor, ni siquiera la autoridad de certificación del propio proveedor. Puede que algo en esta red esté interceptando el correo (pasa en algunas redes wifi de hoteles y públicas). Pruebe con otra red o consulte a su mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="176"/>
        <source>{ports} for {what}</source>
        <translation>{ports} para {what}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="177"/>
        <location filename="../../setup_assistant/gui/explain.py" line="286"/>
        <source> and </source>
        <translation> y </translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="189"/>
        <source>The mail server&apos;s name ({host}) could not be looked up, so no connection could even be tried. This computer may not be connected to the internet.</source>
        <translation>No se pudo buscar el nombre del servidor de correo ({host}), así que ni siquiera se pudo intentar una conexión. Puede que esta computadora no esté conectada a internet.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="195"/>
        <source>No answer came back from {host}: something on the way silently drops the connections.</source>
        <translation>No llegó ninguna respuesta de {host}: algo en el camino descarta las conexiones sin avisar.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="199"/>
        <source>{host} could not be reached: the connections were refused or cut off.</source>
        <translation>No se pudo llegar a {host}: las conexiones fueron rechazadas o cortadas.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="202"/>
        <source>The assistant tried {host} on ports {ports}.</source>
        <translation>El asistente probó {host} en los puertos {ports}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="205"/>
        <source>What to check: is this computer connected to the internet (can you open a web page)? A firewall, antivirus or VPN may block mail: try without the VPN, or another network such as a phone&apos;s hotspot. If web pages open, the mail server may be down for a while: press “Check again” later, or ask your help desk.</source>
        <translation>Qué revisar: ¿esta computadora está conectada a internet (puede abrir una página web)? Un firewall, un antivirus o una VPN pueden bloquear el correo: pruebe sin la VPN o con otra red, por ejemplo la zona wifi de un celular. Si las páginas web abren, puede que el servidor de correo no esté disponible por un rato: pulse «Revisar de nuevo» más tarde o consulte a su mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="224"/>
        <source>The check was stopped before it finished. Press “Check again” to restart it.</source>
        <translation>La revisión se detuvo antes de terminar. Pulse «Revisar de nuevo» para empezarla otra vez.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="255"/>
        <source>{What} does not work on this network: neither port {port} nor port {other} can be used securely. Some networks (hotels, guest Wi-Fi) block email; try another network, or ask your help desk.</source>
        <translation>{What} no funciona en esta red: no se puede usar de forma segura ni el puerto {port} ni el puerto {other}. Algunas redes (hoteles, wifi para invitados) bloquean el correo; pruebe con otra red o consulte a su mesa de ayuda.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="269"/>
        <source>{why}, so the secure port {port} will be used for {what} instead.</source>
        <translation>{why}, así que para {what} se usará en su lugar el puerto seguro {port}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="276"/>
        <source>{what} on port {port}</source>
        <translation>{what} en el puerto {port}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="285"/>
        <source>Works securely: {list}.</source>
        <translation>Funciona de forma segura: {list}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="295"/>
        <source>The password was not tested because none was typed. The mail program will ask for it the first time it connects.</source>
        <translation>No se probó la contraseña porque no se escribió ninguna. El programa de correo la pedirá la primera vez que se conecte.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="304"/>
        <location filename="../../setup_assistant/gui/explain.py" line="329"/>
        <source>your postmaster</source>
        <translation>el administrador de correo de su organización</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="309"/>
        <source>The server did not accept the password for {address}. Go back and type it again (is Caps Lock on?). If you do not know your password, {who} can reset it for you.</source>
        <translation>El servidor no aceptó la contraseña de {address}. Vuelva atrás y escríbala otra vez (¿está activado Bloq Mayús?). Si no conoce su contraseña, {who} puede restablecerla.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="323"/>
        <source>The server can be reached, but signing in could not be completed ({detail}). Try again in a few minutes.</source>
        <translation>Se puede llegar al servidor, pero no se pudo completar el inicio de sesión ({detail}). Vuelva a intentarlo en unos minutos.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="331"/>
        <source>The server can be reached, but signing in could not be completed ({detail}).</source>
        <translation>Se puede llegar al servidor, pero no se pudo completar el inicio de sesión ({detail}).</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="339"/>
        <source>Your password was accepted.</source>
        <translation>Se aceptó su contraseña.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="346"/>
        <source>{address} has characters outside plain ASCII, and not every mail server accepts such a username. If the password is right, ask {who} which form of the address to sign in with.</source>
        <translation>{address} tiene caracteres fuera del ASCII simple, y no todos los servidores de correo aceptan ese nombre de usuario. Si la contraseña es correcta, pregúntele a {who} con qué forma de la dirección debe iniciar sesión.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="355"/>
        <source>Everything works.</source>
        <translation>Todo funciona.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="358"/>
        <source>Your email works, with a small change.</source>
        <translation>Su correo funciona, con un pequeño cambio.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="360"/>
        <source>The password was not accepted.</source>
        <translation>No se aceptó la contraseña.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="363"/>
        <source>The servers answer, but signing in failed.</source>
        <translation>Los servidores responden, pero falló el inicio de sesión.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="367"/>
        <source>The mail server could not be reached.</source>
        <translation>No se pudo llegar al servidor de correo.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="371"/>
        <source>The server&apos;s certificate could not be trusted.</source>
        <translation>No se pudo confiar en el certificado del servidor.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="375"/>
        <source>Part of your email is blocked on this network.</source>
        <translation>Parte de su correo está bloqueada en esta red.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/explain.py" line="377"/>
        <source>The check was stopped.</source>
        <translation>Se detuvo la revisión.</translation>
    </message>
</context>
<context>
    <name>Guide</name>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="38"/>
        <source>{first} and {last}</source>
        <translation>{first} y {last}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="45"/>
        <source>Webmail</source>
        <translation>Correo web</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="46"/>
        <source>Read your mail in a web browser. Log in there with your short username, {short}, not the full address.</source>
        <translation>Lea su correo en un navegador web. Allí inicie sesión con su nombre de usuario corto, {short}, no con la dirección completa.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="54"/>
        <source>Changing your password</source>
        <translation>Cambiar su contraseña</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="55"/>
        <source>Log in to webmail and click Options → Change Password. Then type the new password in your mail program too.</source>
        <translation>Entre al correo web y haga clic en Opciones → Cambiar contraseña [Options → Change Password]. Después escriba la contraseña nueva también en su programa de correo.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="62"/>
        <source>Forwarding or a vacation message</source>
        <translation>Reenvío o mensaje de vacaciones</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="63"/>
        <source>Log in to webmail and click Options → Forwarding and Vacation Message. Only one of the two can be on at a time.</source>
        <translation>Entre al correo web y haga clic en Opciones → Reenvío y mensaje de vacaciones [Options → Forwarding and Vacation Message]. Solo uno de los dos puede estar activo a la vez.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="74"/>
        <source>Messages marked as spam or viruses are moved to the folders {folders} on the server. With IMAP you see these folders in your mail program and in webmail.</source>
        <translation>Los mensajes marcados como spam o virus se mueven a las carpetas {folders} del servidor. Con IMAP, usted ve estas carpetas en su programa de correo y en el correo web.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="80"/>
        <source>Messages marked as spam or viruses are moved to the folders {folders} on the server. With POP your mail program cannot show these folders: look at them in webmail.</source>
        <translation>Los mensajes marcados como spam o virus se mueven a las carpetas {folders} del servidor. Con POP, su programa de correo no puede mostrar estas carpetas: revíselas en el correo web.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="87"/>
        <source>Messages in these folders, and in the Trash, are deleted after {days} days.</source>
        <translation>Los mensajes de estas carpetas, y los de la Papelera, se borran después de {days} días.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="90"/>
        <source>Spam and viruses</source>
        <translation>Spam y virus</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="95"/>
        <source>Writing to everyone</source>
        <translation>Escribir a todos</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/guide.py" line="96"/>
        <source>To write to everyone in your organization, send a message to {group}. This works only from webmail: mail from outside to this address is refused, to prevent spam.</source>
        <translation>Para escribir a todas las personas de su organización, envíe un mensaje a {group}. Esto solo funciona desde el correo web: el correo que llega de afuera a esta dirección se rechaza, para evitar el spam.</translation>
    </message>
</context>
<context>
    <name>MailWizard</name>
    <message>
        <location filename="../../setup_assistant/gui/wizard.py" line="69"/>
        <location filename="../../setup_assistant/gui/wizard.py" line="122"/>
        <source>{provider} Setup Assistant</source>
        <translation>Asistente de configuración de {provider}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/wizard.py" line="94"/>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/wizard.py" line="95"/>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/wizard.py" line="316"/>
        <source>The settings are being written. Close the assistant once that has finished?</source>
        <translation>Se está guardando la configuración. ¿Cerrar el asistente cuando termine?</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/wizard.py" line="318"/>
        <source>A check is running. Stop it and close the assistant?</source>
        <translation>Hay una revisión en curso. ¿Detenerla y cerrar el asistente?</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/wizard.py" line="320"/>
        <source>Close the assistant? Nothing has been set up or saved yet.</source>
        <translation>¿Cerrar el asistente? Todavía no se configuró ni se guardó nada.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/wizard.py" line="321"/>
        <source>&amp;Close</source>
        <translation>&amp;Cerrar</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/wizard.py" line="322"/>
        <source>&amp;Keep going</source>
        <translation>&amp;Seguir</translation>
    </message>
</context>
<context>
    <name>PasswordPage</name>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="29"/>
        <source>Your password</source>
        <translation>Su contraseña</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="33"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="34"/>
        <location filename="../../setup_assistant/gui/pages/password.py" line="155"/>
        <source>The password of your email account.</source>
        <translation>La contraseña de su cuenta de correo.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="35"/>
        <source>&amp;Show password</source>
        <translation>&amp;Mostrar la contraseña</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="36"/>
        <source>Shows the password as plain text while you type.</source>
        <translation>Muestra la contraseña como texto normal mientras escribe.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="37"/>
        <source>Caps Lock seems to be on.</source>
        <translation>Parece que Bloq Mayús está activado.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="42"/>
        <source>&amp;Remember my password on this computer</source>
        <translation>&amp;Recordar mi contraseña en esta computadora</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="44"/>
        <source>Off by default. When on, the password is kept in this computer&apos;s password store.</source>
        <translation>Desactivado de forma predeterminada. Si lo activa, la contraseña se guarda en el almacén de contraseñas de esta computadora.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="47"/>
        <source>Your remembered password was filled in.</source>
        <translation>Se completó la contraseña que estaba guardada.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="53"/>
        <source>&amp;Password:</source>
        <translation>&amp;Contraseña:</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="67"/>
        <source>The password is only used to check that you can sign in. It is not written into any file, and your mail program will ask for it once.</source>
        <translation>La contraseña solo se usa para comprobar que puede iniciar sesión. No se escribe en ningún archivo, y su programa de correo se la pedirá una vez.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="75"/>
        <source>Setting this up for someone else? Leave the password empty: the servers are still checked, only the sign-in is not.</source>
        <translation>¿Está configurando esto para otra persona? Deje la contraseña vacía: igual se revisan los servidores, solo no se prueba el inicio de sesión.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="91"/>
        <source>for {address}</source>
        <translation>para {address}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="106"/>
        <source>Looking for this computer&apos;s password store…</source>
        <translation>Buscando el almacén de contraseñas de esta computadora…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="131"/>
        <source>This computer has no password store that the assistant can use, so it cannot remember your password. Your mail program can remember it for you.</source>
        <translation>Esta computadora no tiene un almacén de contraseñas que el asistente pueda usar, así que no puede recordar su contraseña. Su programa de correo puede recordarla por usted.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/password.py" line="138"/>
        <source>If you tick this, the password is kept in {where}, not in a file.</source>
        <translation>Si marca esta opción, la contraseña se guarda en {where}, no en un archivo.</translation>
    </message>
</context>
<context>
    <name>PasswordStore</name>
    <message>
        <location filename="../../setup_assistant/gui/secrets.py" line="40"/>
        <source>Windows Credential Manager</source>
        <translation>el Administrador de credenciales de Windows</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/secrets.py" line="42"/>
        <source>the macOS Keychain</source>
        <translation>el Llavero de macOS</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/secrets.py" line="44"/>
        <source>your desktop&apos;s password store (Secret Service, for example GNOME Keyring)</source>
        <translation>el almacén de contraseñas de su escritorio (Secret Service, por ejemplo GNOME Keyring)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/secrets.py" line="48"/>
        <source>KDE Wallet</source>
        <translation>KDE Wallet</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/secrets.py" line="49"/>
        <source>the password store “{name}”</source>
        <translation>el almacén de contraseñas «{name}»</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/secrets.py" line="96"/>
        <source>This computer has no password store that the assistant can use.</source>
        <translation>Esta computadora no tiene un almacén de contraseñas que el asistente pueda usar.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/secrets.py" line="105"/>
        <source>The password could not be saved in {where}.</source>
        <translation>No se pudo guardar la contraseña en {where}.</translation>
    </message>
</context>
<context>
    <name>ProgramsPage</name>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="102"/>
        <source>Your mail programs</source>
        <translation>Sus programas de correo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="105"/>
        <source>Set up these programs</source>
        <translation>Configurar estos programas</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="120"/>
        <source>Thunderbird profile</source>
        <translation>Perfil de Thunderbird</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="123"/>
        <source>&amp;Profile:</source>
        <translation>&amp;Perfil:</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="130"/>
        <source>&amp;Fix these settings</source>
        <translation>Co&amp;rregir esta configuración</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="138"/>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="140"/>
        <source>Set them up on this &amp;computer</source>
        <translation>Configurarlos en esta &amp;computadora</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="141"/>
        <source>&amp;Just save the files (for example, to set up another computer)</source>
        <translation>Solo guardar los arc&amp;hivos (por ejemplo, para configurar otra computadora)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="146"/>
        <source>Folder for the files</source>
        <translation>Carpeta para los archivos</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="147"/>
        <source>C&amp;hoose…</source>
        <translation>&amp;Elegir…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="155"/>
        <source>Set them up here &amp;anyway, although the settings could not be tested</source>
        <translation>Configurarlos aquí de &amp;todos modos, aunque no se pudo probar la configuración</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="158"/>
        <source>The servers could not be reached, so the settings were not tested.</source>
        <translation>No se pudo llegar a los servidores, así que la configuración no se probó.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="174"/>
        <source>Why the button is disabled</source>
        <translation>Por qué el botón está desactivado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="189"/>
        <source>Choose what to set up for {address}.</source>
        <translation>Elija qué configurar para {address}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="204"/>
        <source> (default)</source>
        <translation> (predeterminado)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="212"/>
        <source>{provider} setup for {address}</source>
        <translation>Configuración de {provider} para {address}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="263"/>
        <source>{program} already has this address, but {count} settings are wrong.</source>
        <translation>{program} ya tiene esta dirección, pero hay {count} ajustes incorrectos.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="267"/>
        <source>{program} already has this address, but 1 setting is wrong.</source>
        <translation>{program} ya tiene esta dirección, pero hay 1 ajuste incorrecto.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="274"/>
        <source>{program} already has this address, and its settings are right.</source>
        <translation>{program} ya tiene esta dirección, y su configuración es correcta.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="282"/>
        <source>What is wrong</source>
        <translation>Qué está mal</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="304"/>
        <source>Fixing the settings…</source>
        <translation>Corrigiendo la configuración…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="322"/>
        <source>Fixed {count} settings.</source>
        <translation>Se corrigieron {count} ajustes.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="332"/>
        <source>Nothing was changed: {error}</source>
        <translation>No se cambió nada: {error}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="340"/>
        <source>Found on this computer.</source>
        <translation>Está en esta computadora.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="342"/>
        <source>Not found on this computer. If you use it, start it once and come back; or just save the files.</source>
        <translation>No está en esta computadora. Si lo usa, ábralo una vez y vuelva; o solo guarde los archivos.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="346"/>
        <source>Found on this computer (classic Outlook).</source>
        <translation>Está en esta computadora (Outlook clásico).</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="349"/>
        <source>Classic Outlook not found. For the new Outlook, the instructions show the values to type.</source>
        <translation>No se encontró Outlook clásico. Para el nuevo Outlook, las instrucciones muestran los valores que debe escribir.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="352"/>
        <source>The files are for classic Outlook on Windows; for Outlook for Mac the instructions show the values to type.</source>
        <translation>Los archivos son para Outlook clásico en Windows; para Outlook para Mac, las instrucciones muestran los valores que debe escribir.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="356"/>
        <source>Part of macOS. You will be asked to approve the profile in System Settings.</source>
        <translation>Viene con macOS. Se le pedirá que apruebe el perfil en Configuración del Sistema [System Settings].</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="357"/>
        <source>For a Mac; the profile file can be saved and opened there.</source>
        <translation>Para una Mac; el archivo de perfil se puede guardar y abrir allí.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="378"/>
        <source>Set &amp;up</source>
        <translation>Config&amp;urar</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="378"/>
        <source>&amp;Save files</source>
        <translation>&amp;Guardar archivos</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="389"/>
        <source>Set up</source>
        <translation>Configurar</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="389"/>
        <source>Save files</source>
        <translation>Guardar archivos</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="391"/>
        <source>Tick at least one program to enable “{button}”.</source>
        <translation>Marque al menos un programa para activar «{button}».</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="394"/>
        <source>The settings are not tested: tick “Set them up here anyway”, or choose “Just save the files”.</source>
        <translation>La configuración no está probada: marque «Configurarlos aquí de todos modos» o elija «Solo guardar los archivos».</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="397"/>
        <source>Choose a folder for the files.</source>
        <translation>Elija una carpeta para los archivos.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="399"/>
        <source>Install the certificate first, or set up without it.</source>
        <translation>Instale primero el certificado, o configure sin él.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="413"/>
        <source>Choose a folder for the files</source>
        <translation>Elija una carpeta para los archivos</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="441"/>
        <source>Still finishing what was started before; try again in a moment.</source>
        <translation>Todavía se está terminando lo que se empezó antes; vuelva a intentarlo en un momento.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="521"/>
        <source>Writing the settings…</source>
        <translation>Guardando la configuración…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="545"/>
        <source>Thunderbird is open. Quit Thunderbird (File → Quit), then press “{button}” again. Nothing was changed.</source>
        <translation>Thunderbird está abierto. Cierre Thunderbird (Archivo → Salir), y luego pulse «{button}» otra vez. No se cambió nada.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="548"/>
        <source>The settings could not be written: {error}</source>
        <translation>No se pudo guardar la configuración: {error}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="578"/>
        <source>{program}: {error}</source>
        <translation>{program}: {error}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="581"/>
        <source>{program} already has this address with wrong settings: press “Fix these settings” above first. Nothing was changed.</source>
        <translation>{program} ya tiene esta dirección con una configuración incorrecta: primero pulse «Corregir esta configuración» arriba. No se cambió nada.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="589"/>
        <source>The other programs&apos; files were written. Fix the problem and try again, or untick that program.</source>
        <translation>Se guardaron los archivos de los otros programas. Corrija el problema y vuelva a intentarlo, o desmarque ese programa.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="609"/>
        <source>{programs} needs the {provider} certificate, which is not installed in {places} yet. Without it, {programs} warns about the server every time. Install it first (recommended), or set up without it and accept the certificate in the mail program.</source>
        <translation>{programs} necesita el certificado de {provider}, que todavía no está instalado en {places}. Sin él, {programs} muestra una advertencia sobre el servidor cada vez. Instálelo primero (recomendado), o configure sin él y acepte el certificado en el programa de correo.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="618"/>
        <source>&amp;Install the certificate and set up</source>
        <translation>&amp;Instalar el certificado y configurar</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="619"/>
        <source>Set up &amp;without it</source>
        <translation>Configurar &amp;sin él</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="637"/>
        <source>The certificate is installed in {place}.</source>
        <translation>El certificado está instalado en {place}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="647"/>
        <source>Fixed in place: {changes}.</source>
        <translation>Corregido en su lugar: {changes}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="655"/>
        <source>All files are in this folder:</source>
        <translation>Todos los archivos están en esta carpeta:</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="655"/>
        <source>Open &amp;folder</source>
        <translation>A&amp;brir carpeta</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="667"/>
        <source>Thunderbird: your account and your password were added; it will not ask for it.</source>
        <translation>Thunderbird: se agregaron su cuenta y su contraseña; no se la pedirá.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="669"/>
        <source>Thunderbird: your account was added. {why}</source>
        <translation>Thunderbird: se agregó su cuenta. {why}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="673"/>
        <source>Thunderbird: your account is set up. Thunderbird asks for the password once.</source>
        <translation>Thunderbird: su cuenta está configurada. Thunderbird le pedirá la contraseña una vez.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="675"/>
        <source>Thunderbird: your account was added. Thunderbird asks for the password once.</source>
        <translation>Thunderbird: se agregó su cuenta. Thunderbird le pedirá la contraseña una vez.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="680"/>
        <source>Start &amp;Thunderbird</source>
        <translation>Abrir &amp;Thunderbird</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="688"/>
        <source>Apple Mail: approve the profile in System Settings › Privacy &amp; Security › Profiles.</source>
        <translation>Apple Mail: apruebe el perfil en Configuración del Sistema › Privacidad y seguridad › Perfiles [System Settings › Privacy &amp; Security › Profiles].</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="690"/>
        <source>Open the &amp;profile again</source>
        <translation>Abrir el perfil otra &amp;vez</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="696"/>
        <source>Outlook: the settings are in place. Now, in this order:</source>
        <translation>Outlook: la configuración ya está en su lugar. Ahora, en este orden:</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="698"/>
        <source>Start &amp;Outlook</source>
        <translation>Abrir &amp;Outlook</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="708"/>
        <source>{program}: {why}</source>
        <translation>{program}: {why}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="721"/>
        <source>Apple Mail: so webmail and your other devices keep your mail, open Mail › Settings › Accounts › Advanced and set “Remove copy from server after retrieving a message” to Never.</source>
        <translation>Apple Mail: para que el correo web y sus otros dispositivos conserven su correo, abra Mail › Configuración › Cuentas › Avanzado [Mail › Settings › Accounts › Advanced] y ponga «Eliminar copia del servidor tras recuperar un mensaje» [Remove copy from server after retrieving a message] en «Nunca» [Never].</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="726"/>
        <source>Outlook: so webmail and your other devices keep your mail, import outlook.prf (it keeps mail on the server), or after adding the account open its More Settings › Advanced, keep “Leave a copy of messages on the server” ticked and untick “Remove from server after 14 days”.</source>
        <translation>Outlook: para que el correo web y sus otros dispositivos conserven su correo, importe outlook.prf (deja el correo en el servidor), o después de agregar la cuenta abra Más configuraciones › Avanzadas [Advanced], mantenga marcada «Dejar una copia de los mensajes en el servidor» [Leave a copy of messages on the server] y desmarque «Quitar del servidor después de 14 días» [Remove from server after 14 days].</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="742"/>
        <source>Thunderbird, when you add the account yourself: {steps}</source>
        <translation>Thunderbird, cuando agregue la cuenta usted: {steps}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="749"/>
        <source>{program}: files and instructions saved.</source>
        <translation>{program}: se guardaron los archivos y las instrucciones.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="751"/>
        <source>Open the instructions</source>
        <translation>Abrir las instrucciones</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="765"/>
        <source>Your password: {have} has it; {ask} will ask for it once.</source>
        <translation>Su contraseña: {have} ya la tiene; {ask} se la pedirá una vez.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="767"/>
        <source>Your password: {have} has it and will not ask for it.</source>
        <translation>Su contraseña: {have} ya la tiene y no se la pedirá.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/programs.py" line="769"/>
        <source>Your password: {ask} will ask for it once.</source>
        <translation>Su contraseña: {ask} se la pedirá una vez.</translation>
    </message>
</context>
<context>
    <name>ReportSaver</name>
    <message>
        <location filename="../../setup_assistant/gui/report_saver.py" line="32"/>
        <source>Saving the report (this also checks your domain&apos;s DNS)…</source>
        <translation>Guardando el informe (también revisa el DNS de su dominio)…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/report_saver.py" line="46"/>
        <source>Saved: {html} (and the same data in {json}). It contains no password.</source>
        <translation>Guardado: {html} (y los mismos datos en {json}). No contiene ninguna contraseña.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/report_saver.py" line="55"/>
        <source>The report could not be saved: {error}</source>
        <translation>No se pudo guardar el informe: {error}</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="58"/>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="59"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="59"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="75"/>
        <source>What the check found</source>
        <translation>Lo que encontró la revisión</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="90"/>
        <source>Type the &amp;password again</source>
        <translation>Escribir la &amp;contraseña otra vez</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="92"/>
        <source>Check &amp;again</source>
        <translation>&amp;Revisar de nuevo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="102"/>
        <source>C&amp;ontinue anyway with {provider}&apos;s published settings (not tested)</source>
        <translation>C&amp;ontinuar de todos modos con la configuración que publica {provider} (sin probar)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="108"/>
        <source>For example to save the files and the settings sheet for a computer on another network. They are marked “not tested” on the next pages, and nothing is set up on this computer unless you confirm it there.</source>
        <translation>Por ejemplo, para guardar los archivos y la hoja de configuración para una computadora de otra red. En las páginas siguientes aparecen como «sin probar», y no se configura nada en esta computadora a menos que usted lo confirme allí.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="119"/>
        <source>How should your mail program receive mail?</source>
        <translation>¿Cómo debe recibir el correo su programa de correo?</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="120"/>
        <source>&amp;IMAP (recommended)</source>
        <translation>&amp;IMAP (recomendado)</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="123"/>
        <source>Your mail stays on the server, so webmail, your phone and your other computers all show the same mail and folders.</source>
        <translation>Su correo se queda en el servidor, así que el correo web, su celular y sus otras computadoras muestran el mismo correo y las mismas carpetas.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="127"/>
        <source>P&amp;OP</source>
        <translation>&amp;POP</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="130"/>
        <source>Downloads your mail to this computer. The guide warns that POP and webmail do not go well together: by default POP deletes mail from the server, so webmail and your other devices no longer see it. The assistant sets Thunderbird up to leave your mail on the server; Apple Mail and Outlook need one setting changed by hand, shown at the end. With POP you cannot see the Spam and Virus folders in your mail program, only in webmail.</source>
        <translation>Descarga su correo a esta computadora. La guía advierte que POP y el correo web no se llevan bien: de forma predeterminada, POP borra el correo del servidor, así que el correo web y sus otros dispositivos dejan de verlo. El asistente configura Thunderbird para que deje su correo en el servidor; en Apple Mail y Outlook hay que cambiar un ajuste a mano, que se muestra al final. Con POP no puede ver las carpetas de spam y virus en su programa de correo, solo en el correo web.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="161"/>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="162"/>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="163"/>
        <source>Security</source>
        <translation>Seguridad</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="164"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="165"/>
        <source>Time</source>
        <translation>Tiempo</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="166"/>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="175"/>
        <source>Technical details of every connection</source>
        <translation>Detalles técnicos de cada conexión</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="178"/>
        <source>Save a &amp;report for the help desk…</source>
        <translation>Guardar un informe para la &amp;mesa de ayuda…</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="180"/>
        <source>Saves these details as a file; it never contains your password.</source>
        <translation>Guarda estos detalles en un archivo; nunca contiene su contraseña.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="195"/>
        <source>Details for the help desk</source>
        <translation>Detalles para la mesa de ayuda</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="203"/>
        <source>for {address}</source>
        <translation>para {address}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="251"/>
        <source>Until this works, the assistant cannot set up your mail program. Save a report for the help desk (under Details) if you need help.</source>
        <translation>Hasta que esto funcione, el asistente no puede configurar su programa de correo. Si necesita ayuda, guarde un informe para la mesa de ayuda (en Detalles).</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="301"/>
        <source>Certificate: {subject}
Issued by: {issuer}
Valid until: {until} ({tls})
SHA-256:
{sha}
Trusted by Mozilla (Thunderbird): {mozilla} · this computer: {os} · the provider&apos;s root: {root}</source>
        <translation>Certificado: {subject}
Emitido por: {issuer}
Válido hasta: {until} ({tls})
SHA-256:
{sha}
De confianza para Mozilla (Thunderbird): {mozilla} · esta computadora: {os} · la raíz del proveedor: {root}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="320"/>
        <source>Sign-in {protocol}</source>
        <translation>Inicio de sesión {protocol}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="371"/>
        <source>Your password is now kept in {where}.</source>
        <translation>Ahora su contraseña se guarda en {where}.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="378"/>
        <source>The password remembered earlier was removed from this computer.</source>
        <translation>Se quitó de esta computadora la contraseña que estaba guardada.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="430"/>
        <source>Save a report for the help desk</source>
        <translation>Guardar un informe para la mesa de ayuda</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/pages/result.py" line="432"/>
        <source>Report (*.html)</source>
        <translation>Informe (*.html)</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="63"/>
        <source>OK</source>
        <translation>Correcto</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="64"/>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="65"/>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="66"/>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="67"/>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="68"/>
        <source>Information</source>
        <translation>Información</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="133"/>
        <source>{what}: {result}, {time}</source>
        <translation>{what}: {result}, {time}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="136"/>
        <source>{what}: {result}</source>
        <translation>{what}: {result}</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="183"/>
        <source>Page</source>
        <translation>Página</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="187"/>
        <source>More of this page is below: the arrow keys scroll it.</source>
        <translation>Hay más de esta página abajo: las teclas de flecha la desplazan.</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="217"/>
        <source>Path</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="244"/>
        <source>{ms} ms</source>
        <translation>{ms} ms</translation>
    </message>
    <message>
        <location filename="../../setup_assistant/gui/widgets.py" line="245"/>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
</context>
</TS>
