<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AccessibilityBar</name>
    <message>
        <location filename="../../app/ui/accessibility.py" line="113"/>
        <source>Large text</source>
        <translation>Chữ lớn</translation>
    </message>
    <message>
        <location filename="../../app/ui/accessibility.py" line="114"/>
        <source>Make the text larger</source>
        <translation>Phóng to chữ</translation>
    </message>
    <message>
        <location filename="../../app/ui/accessibility.py" line="115"/>
        <source>High contrast</source>
        <translation>Tương phản cao</translation>
    </message>
    <message>
        <location filename="../../app/ui/accessibility.py" line="116"/>
        <source>Light text on a dark background</source>
        <translation>Chữ sáng trên nền tối</translation>
    </message>
</context>
<context>
    <name>AdminView</name>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="244"/>
        <source>ready</source>
        <translation>sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="244"/>
        <source>unavailable: %s</source>
        <translation>không dùng được: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="246"/>
        <source>(simulator)</source>
        <translation>(giả lập)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/screens/admin.py" line="250"/>
        <source>%n reader(s) attached</source>
        <translation>
            <numerusform>%n đầu đọc đang kết nối</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="256"/>
        <source>Card reader</source>
        <translation>Đầu đọc thẻ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="256"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="257"/>
        <source>Scanner</source>
        <translation>Máy quét mã</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="257"/>
        <source>Printer</source>
        <translation>Máy in</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="261"/>
        <source>working</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="261"/>
        <source>connected</source>
        <translation>đã kết nối</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="262"/>
        <source>starting</source>
        <translation>đang khởi động</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="262"/>
        <location filename="../../app/ui/screens/admin.py" line="273"/>
        <source>not connected</source>
        <translation>chưa kết nối</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="263"/>
        <source>reconnecting</source>
        <translation>đang kết nối lại</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="263"/>
        <source>no picture</source>
        <translation>không có hình</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="267"/>
        <source>receipt</source>
        <translation>biên nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="267"/>
        <source>queue ticket</source>
        <translation>phiếu số thứ tự</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="268"/>
        <source>test page</source>
        <translation>trang in thử</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="268"/>
        <source>printing</source>
        <translation>đang in</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="269"/>
        <source>printed</source>
        <translation>đã in</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="269"/>
        <source>failed</source>
        <translation>in lỗi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="270"/>
        <source>printer error</source>
        <translation>máy in lỗi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="271"/>
        <source>printer not ready</source>
        <translation>máy in chưa sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="272"/>
        <source>no answer</source>
        <translation>máy in không trả lời</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="276"/>
        <source>out of paper</source>
        <translation>hết giấy</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="276"/>
        <source>paper near end</source>
        <translation>sắp hết giấy</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="277"/>
        <source>cover open</source>
        <translation>nắp đang mở</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="277"/>
        <location filename="../../app/ui/screens/admin.py" line="310"/>
        <source>offline</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="278"/>
        <source>printer fault</source>
        <translation>máy in bị lỗi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="283"/>
        <source>Printer: not in use</source>
        <translation>Máy in: không sử dụng</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="285"/>
        <source>Printer: checking…</source>
        <translation>Máy in: đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="287"/>
        <source>Printer: not responding</source>
        <translation>Máy in: không phản hồi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="291"/>
        <source>Printer: ready</source>
        <translation>Máy in: sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="292"/>
        <source>Printer: %s</source>
        <translation>Máy in: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="294"/>
        <source>Printer: not checked yet</source>
        <translation>Máy in: chưa kiểm tra</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="299"/>
        <source>reachable</source>
        <translation>kết nối được</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="299"/>
        <source>not reachable</source>
        <translation>không kết nối được</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="300"/>
        <source>checking…</source>
        <translation>đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="300"/>
        <source>unknown</source>
        <translation>chưa rõ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="301"/>
        <source>Endpoint %1: %2</source>
        <translation>Máy chủ tiếp nhận %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="305"/>
        <source>Last sync: not yet</source>
        <translation>Đồng bộ gần nhất: chưa có</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="307"/>
        <source>Last sync: %s</source>
        <translation>Đồng bộ gần nhất: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="316"/>
        <source>Heartbeat: off</source>
        <translation>Báo trạng thái: tắt</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="318"/>
        <source>Heartbeat: last sent %s</source>
        <translation>Báo trạng thái: gửi lần cuối %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="320"/>
        <source>Heartbeat: not sent yet</source>
        <translation>Báo trạng thái: chưa gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="333"/>
        <source>Spoken prompts: a Vietnamese voice is ready (%s)</source>
        <translation>Hướng dẫn bằng giọng nói: đã có giọng tiếng Việt (%s)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="334"/>
        <source>Spoken prompts off: no Vietnamese voice is installed</source>
        <translation>Không có hướng dẫn bằng giọng nói: chưa cài giọng tiếng Việt</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="335"/>
        <source>Spoken prompts off: no speech engine (%s)</source>
        <translation>Không có hướng dẫn bằng giọng nói: không có bộ đọc (%s)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="336"/>
        <source>Spoken prompts off: Qt TextToSpeech cannot load (%s)</source>
        <translation>Không có hướng dẫn bằng giọng nói: không nạp được Qt TextToSpeech (%s)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="338"/>
        <source>Spoken prompts turned off in the configuration</source>
        <translation>Hướng dẫn bằng giọng nói đã tắt trong cấu hình</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="439"/>
        <source>waiting to be sent</source>
        <translation>chờ gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="439"/>
        <source>sending</source>
        <translation>đang gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="440"/>
        <source>delivered</source>
        <translation>đã gửi tới cơ quan</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="440"/>
        <source>rejected</source>
        <translation>bị từ chối</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="441"/>
        <source>held for staff</source>
        <translation>chờ cán bộ xử lý</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="452"/>
        <source>No dossier is waiting to be sent</source>
        <translation>Không có hồ sơ nào đang chờ gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="453"/>
        <source>Oldest dossier waiting: %s</source>
        <translation>Hồ sơ chờ lâu nhất: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="459"/>
        <source>%1: deadline PASSED at %2</source>
        <translation>%1: ĐÃ QUÁ HẠN lúc %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="461"/>
        <source>%1: deadline at %2, in %3</source>
        <translation>%1: hạn lúc %2, còn %3</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/screens/admin.py" line="470"/>
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n giây</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/screens/admin.py" line="472"/>
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n phút</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/screens/admin.py" line="474"/>
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n giờ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/screens/admin.py" line="475"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n ngày</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="503"/>
        <source>%s is queued to be sent again</source>
        <translation>%s đã được xếp để gửi lại</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="553"/>
        <source>Printing…</source>
        <translation>Đang in…</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="557"/>
        <source>Printed</source>
        <translation>Đã in</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="566"/>
        <source>Folder for the bundle</source>
        <translation>Thư mục lưu gói chẩn đoán</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="586"/>
        <source>Creating the bundle…</source>
        <translation>Đang tạo gói chẩn đoán…</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="593"/>
        <source>Saved: %s</source>
        <translation>Đã lưu: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="599"/>
        <source>The bundle could not be written: %s</source>
        <translation>Không ghi được gói chẩn đoán: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="617"/>
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="618"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="618"/>
        <source>Outbox</source>
        <translation>Hàng đợi gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="618"/>
        <source>Printing</source>
        <translation>In ấn</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="619"/>
        <source>Diagnostics</source>
        <translation>Chẩn đoán</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="621"/>
        <source>Devices</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="622"/>
        <source>Network</source>
        <translation>Mạng</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="624"/>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="624"/>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="624"/>
        <location filename="../../app/ui/screens/admin.py" line="627"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="624"/>
        <source>Agency status</source>
        <translation>Trạng thái tại cơ quan</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="625"/>
        <location filename="../../app/ui/screens/admin.py" line="628"/>
        <source>Attempts</source>
        <translation>Số lần gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="625"/>
        <source>Created</source>
        <translation>Tạo lúc</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="625"/>
        <source>Last error</source>
        <translation>Lỗi gần nhất</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="625"/>
        <source>Deadline</source>
        <translation>Hạn</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="627"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="627"/>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="627"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="628"/>
        <source>Entry</source>
        <translation>Mục</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="629"/>
        <source>Receipts and tickets printed or attempted, newest first. Select one to print it again.</source>
        <translation>Biên nhận và phiếu đã in hoặc in lỗi, mới nhất ở trên. Chọn một mục để in lại.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="631"/>
        <source>A zip file for support: versions, settings without secrets, device states, outbox counts and the logs. It holds no personal data.</source>
        <translation>Tệp zip gửi bộ phận hỗ trợ: phiên bản, cấu hình (đã che thông tin bí mật), trạng thái thiết bị, số lượng hồ sơ trong hàng đợi và nhật ký. Không chứa dữ liệu cá nhân.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="634"/>
        <source>Check devices</source>
        <translation>Kiểm tra thiết bị</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="635"/>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="636"/>
        <source>Send again</source>
        <translation>Gửi lại</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="637"/>
        <source>Reprint</source>
        <translation>In lại</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="638"/>
        <source>Choose folder</source>
        <translation>Chọn thư mục</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="639"/>
        <source>Create diagnostic bundle</source>
        <translation>Tạo gói chẩn đoán</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="640"/>
        <source>Exit kiosk</source>
        <translation>Thoát chế độ ki-ốt</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="641"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../../app/ui/screens/attract.py" line="32"/>
        <source>Citizen reception kiosk</source>
        <translation>Ki-ốt tiếp nhận hồ sơ công dân</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/attract.py" line="33"/>
        <source>Submit your application with your chip ID card: the kiosk fills in what the card already proves.</source>
        <translation>Nộp hồ sơ bằng thẻ căn cước gắn chip: ki-ốt tự điền những thông tin đã có trên thẻ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/attract.py" line="35"/>
        <source>Touch here to start</source>
        <translation>Chạm vào đây để bắt đầu</translation>
    </message>
</context>
<context>
    <name>ChooseScreen</name>
    <message>
        <location filename="../../app/ui/screens/choose.py" line="57"/>
        <source>What would you like to do?</source>
        <translation>Bạn muốn làm thủ tục gì?</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/choose.py" line="58"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/choose.py" line="59"/>
        <source>Guest register (staff)</source>
        <translation>Sổ khách lưu trú (cán bộ)</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../../app/ui/screens/consent.py" line="89"/>
        <source>Your consent</source>
        <translation>Đồng ý xử lý dữ liệu cá nhân</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/consent.py" line="92"/>
        <source>I have read this and I agree</source>
        <translation>Tôi đã đọc và đồng ý</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/consent.py" line="93"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/consent.py" line="94"/>
        <source>Agree and submit</source>
        <translation>Đồng ý và nộp hồ sơ</translation>
    </message>
</context>
<context>
    <name>DeadlineNote</name>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="47"/>
        <source>The stay must be notified to the police before 23:00 on the day of arrival (before 08:00 the next day for arrivals after 23:00).</source>
        <translation>Phải thông báo lưu trú với công an trước 23 giờ ngày đến (khách đến sau 23 giờ: trước 08 giờ sáng hôm sau).</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="51"/>
        <source>Notify the police of this stay by %s.</source>
        <translation>Hạn thông báo lưu trú với công an: %s.</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <location filename="../../app/ui/form_view.py" line="238"/>
        <source>Remove this person</source>
        <translation>Xoá người này khỏi hồ sơ</translation>
    </message>
    <message>
        <location filename="../../app/ui/form_view.py" line="242"/>
        <source>Unlock (staff)</source>
        <translation>Mở khoá (cán bộ)</translation>
    </message>
</context>
<context>
    <name>InsurancePanel</name>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="67"/>
        <source>Looking up your health insurance…</source>
        <translation>Đang tra cứu thông tin thẻ BHYT…</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="68"/>
        <source>You can go on filling in the form meanwhile.</source>
        <translation>Trong lúc chờ, bạn có thể tiếp tục điền thông tin.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="70"/>
        <source>You can still check in.</source>
        <translation>Bạn vẫn có thể đăng ký khám.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="72"/>
        <source>Your health insurance could not be checked now</source>
        <translation>Chưa tra cứu được thông tin BHYT của bạn</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="76"/>
        <source>No health-insurance card was found for your ID number</source>
        <translation>Không tìm thấy thẻ BHYT theo số định danh của bạn</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="80"/>
        <source>Insurance card number</source>
        <translation>Mã thẻ BHYT</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="81"/>
        <source>Valid</source>
        <translation>Giá trị sử dụng</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="82"/>
        <source>Benefit level</source>
        <translation>Mức hưởng</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="83"/>
        <source>Primary-care facility</source>
        <translation>Nơi đăng ký KCB ban đầu</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="88"/>
        <source>Your health-insurance card has expired</source>
        <translation>Thẻ BHYT của bạn đã hết hạn</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="91"/>
        <source>Your health-insurance card is valid</source>
        <translation>Thẻ BHYT của bạn còn giá trị sử dụng</translation>
    </message>
</context>
<context>
    <name>LodgingReceiptPanel</name>
    <message numerus="yes">
        <location filename="../../app/ui/screens/lodging.py" line="148"/>
        <source>%n guest(s) checked in to room %1. The police must be notified by %2; the kiosk sends it now.</source>
        <translation>
            <numerusform>Đã nhận phòng %1 cho %n khách. Hạn thông báo lưu trú với công an: %2; ki-ốt đang gửi thông báo.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="92"/>
        <source>Are you still there? The kiosk will clear your data in %n second(s). Touch the screen to continue.</source>
        <translation>
            <numerusform>Bạn còn ở đây không? Sau %n giây ki-ốt sẽ xoá thông tin của bạn. Chạm vào màn hình để tiếp tục.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="101"/>
        <source>Citizen reception kiosk</source>
        <translation>Ki-ốt tiếp nhận hồ sơ công dân</translation>
    </message>
</context>
<context>
    <name>PassportPanel</name>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="112"/>
        <source>Foreign guest: type the passport details</source>
        <translation>Khách nước ngoài: nhập thông tin hộ chiếu</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="113"/>
        <source>Passport number</source>
        <translation>Số hộ chiếu</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="114"/>
        <source>Nationality</source>
        <translation>Quốc tịch</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="115"/>
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="116"/>
        <source>Passport expiry date</source>
        <translation>Ngày hết hạn hộ chiếu</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="120"/>
        <source>Read the passport chip</source>
        <translation>Đọc chip hộ chiếu</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="121"/>
        <source>No chip: use these details</source>
        <translation>Không có chip: dùng thông tin đã nhập</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../app/ui/admin_pin_dialog.py" line="126"/>
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <location filename="../../app/ui/admin_pin_dialog.py" line="127"/>
        <source>Enter the admin PIN</source>
        <translation>Nhập mã PIN quản trị</translation>
    </message>
    <message>
        <location filename="../../app/ui/admin_pin_dialog.py" line="128"/>
        <source>Clear</source>
        <translation>Xoá</translation>
    </message>
    <message>
        <location filename="../../app/ui/admin_pin_dialog.py" line="129"/>
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <location filename="../../app/ui/admin_pin_dialog.py" line="130"/>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location filename="../../app/ui/admin_pin_dialog.py" line="150"/>
        <source>The PIN could not be checked.</source>
        <translation>Không kiểm tra được mã PIN.</translation>
    </message>
</context>
<context>
    <name>PresentScreen</name>
    <message>
        <location filename="../../app/ui/screens/present.py" line="101"/>
        <source>ID card of: %s</source>
        <translation>Thẻ căn cước của: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="101"/>
        <source>ID card</source>
        <translation>Thẻ căn cước</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="108"/>
        <source>QR code read</source>
        <translation>Đã đọc mã QR</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="109"/>
        <source>Show the QR code on the card to the camera, or type the 12-digit ID number below</source>
        <translation>Đưa mã QR trên thẻ trước camera, hoặc nhập số định danh 12 chữ số ở dưới</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="113"/>
        <source>Card on the reader</source>
        <translation>Thẻ đã đặt trên đầu đọc</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="114"/>
        <source>Lay the card flat on the reader and leave it there</source>
        <translation>Đặt thẻ nằm phẳng trên đầu đọc và giữ nguyên</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="116"/>
        <source>Use this number</source>
        <translation>Dùng số này</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="117"/>
        <source>ID number (12 digits)</source>
        <translation>Số định danh (12 chữ số)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="118"/>
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="119"/>
        <source>This person is not here</source>
        <translation>Người này không có mặt</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="123"/>
        <source>Vietnamese ID card</source>
        <translation>Thẻ căn cước Việt Nam</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="124"/>
        <source>Foreign guest (passport)</source>
        <translation>Khách nước ngoài (hộ chiếu)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="131"/>
        <source>Continue without the chip</source>
        <translation>Tiếp tục không đọc chip</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="129"/>
        <source>Your queue number</source>
        <translation>Số thứ tự của bạn</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/hospital.py" line="131"/>
        <source>Department: %s</source>
        <translation>Khoa khám: %s</translation>
    </message>
</context>
<context>
    <name>ReadingScreen</name>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="61"/>
        <source>Opening the chip</source>
        <translation>Mở chip</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="61"/>
        <source>Document data</source>
        <translation>Dữ liệu giấy tờ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="62"/>
        <source>Personal data</source>
        <translation>Thông tin cá nhân</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="62"/>
        <source>Portrait</source>
        <translation>Ảnh chân dung</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="63"/>
        <source>Security data</source>
        <translation>Dữ liệu bảo mật</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="63"/>
        <source>Checking the data</source>
        <translation>Kiểm tra dữ liệu</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="64"/>
        <source>Checking the chip</source>
        <translation>Kiểm tra chip</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="67"/>
        <source>Reading your card</source>
        <translation>Đang đọc thẻ của bạn</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="68"/>
        <source>Keep the card on the reader until reading is complete.</source>
        <translation>Giữ thẻ trên đầu đọc cho đến khi đọc xong.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="71"/>
        <source>Continue</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="122"/>
        <source>The data has not been altered</source>
        <translation>Dữ liệu không bị thay đổi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="123"/>
        <source>The data on the chip has been altered</source>
        <translation>Dữ liệu trên chip đã bị thay đổi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="124"/>
        <source>Signed by the issuing authority</source>
        <translation>Có chữ ký của cơ quan cấp thẻ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="125"/>
        <source>The issuer&apos;s signature is not valid</source>
        <translation>Chữ ký của cơ quan cấp thẻ không hợp lệ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="126"/>
        <source>Issuer certificate trusted</source>
        <translation>Chứng thư của cơ quan cấp thẻ đáng tin cậy</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="127"/>
        <source>Issuer certificate not trusted</source>
        <translation>Chứng thư của cơ quan cấp thẻ không đáng tin cậy</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="128"/>
        <source>Issuer certificate not checked here</source>
        <translation>Chưa kiểm tra chứng thư của cơ quan cấp thẻ tại đây</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="129"/>
        <location filename="../../app/ui/screens/reading.py" line="131"/>
        <source>Genuine chip (not a copy)</source>
        <translation>Chip thật (không phải bản sao)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="130"/>
        <location filename="../../app/ui/screens/reading.py" line="132"/>
        <source>The chip may be a copy</source>
        <translation>Chip có thể là bản sao</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="133"/>
        <source>Confirmed by the identity service</source>
        <translation>Đã được hệ thống định danh xác nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="134"/>
        <source>Not confirmed by the identity service</source>
        <translation>Hệ thống định danh không xác nhận</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="109"/>
        <source>Your application has been received</source>
        <translation>Hồ sơ của bạn đã được tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="116"/>
        <source>Keep this code to follow your application. It goes to: %s</source>
        <translation>Giữ mã này để theo dõi hồ sơ. Hồ sơ được gửi tới: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="118"/>
        <source>Print receipt</source>
        <translation>In giấy biên nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="120"/>
        <source>Finish</source>
        <translation>Hoàn tất</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="123"/>
        <source>Status: waiting to be sent</source>
        <translation>Trạng thái: đang chờ gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="124"/>
        <source>Status: sending</source>
        <translation>Trạng thái: đang gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="125"/>
        <source>Status: delivered to the agencies</source>
        <translation>Trạng thái: đã gửi tới cơ quan tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="126"/>
        <source>Status: not accepted, please ask a member of staff</source>
        <translation>Trạng thái: không được tiếp nhận, vui lòng hỏi cán bộ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="127"/>
        <source>Status: waiting for a member of staff</source>
        <translation>Trạng thái: chờ cán bộ xử lý</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../../app/ui/screens/review.py" line="123"/>
        <source>Please correct the fields marked in red.</source>
        <translation>Vui lòng sửa các ô được đánh dấu đỏ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="129"/>
        <source>from the chip, verified</source>
        <translation>từ chip, đã xác thực</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="130"/>
        <source>from the chip</source>
        <translation>từ chip</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="131"/>
        <source>from the QR code, not yet confirmed by the chip</source>
        <translation>từ mã QR, chip chưa xác nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="132"/>
        <source>from the QR code (scanner)</source>
        <translation>từ mã QR (máy quét)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="133"/>
        <source>looked up</source>
        <translation>tra cứu</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="134"/>
        <source>typed</source>
        <translation>đã nhập</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="134"/>
        <source>corrected by staff</source>
        <translation>cán bộ đã sửa</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="135"/>
        <source>from the kiosk&apos;s settings</source>
        <translation>theo cấu hình ki-ốt</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="138"/>
        <source>Check your details</source>
        <translation>Kiểm tra thông tin</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="139"/>
        <source>Details from your card are locked. Fill in the remaining fields (marked *), then continue.</source>
        <translation>Thông tin từ thẻ đã được khoá. Hãy điền các ô còn lại (có dấu *), rồi bấm Tiếp tục.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="141"/>
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="142"/>
        <source>Continue</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="145"/>
        <source>Add another person</source>
        <translation>Thêm người khác</translation>
    </message>
</context>
<context>
    <name>StaysScreen</name>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="247"/>
        <source>Guests in house</source>
        <translation>Khách đang lưu trú</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="248"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="249"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="230"/>
        <source>Not written to the guest register, though their police notification is queued: %1. Enter these guests in your register yourself.</source>
        <translation>Chưa ghi được vào sổ khách, dù thông báo lưu trú đã vào hàng đợi gửi công an: %1. Hãy tự ghi những khách này vào sổ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="234"/>
        <source>Seen</source>
        <translation>Đã xem</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="253"/>
        <source>Room</source>
        <translation>Phòng</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="253"/>
        <source>Guest</source>
        <translation>Khách</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="253"/>
        <source>Arrival</source>
        <translation>Thời gian đến</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="254"/>
        <source>Notify police by</source>
        <translation>Hạn thông báo</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="260"/>
        <source>notified</source>
        <translation>đã thông báo</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/lodging.py" line="265"/>
        <source>Check out</source>
        <translation>Trả phòng</translation>
    </message>
</context>
</TS>
