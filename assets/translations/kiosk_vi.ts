<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>AdminView</name>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="63" />
        <source>ready</source>
        <translation>sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="63" />
        <source>unavailable: %s</source>
        <translation>không dùng được: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="86" />
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="88" />
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="88" />
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="88" />
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="88" />
        <source>Agency status</source>
        <translation>Trạng thái tại cơ quan</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="89" />
        <source>Attempts</source>
        <translation>Số lần gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="89" />
        <source>Created</source>
        <translation>Tạo lúc</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="89" />
        <source>Last error</source>
        <translation>Lỗi gần nhất</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="90" />
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/admin.py" line="91" />
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../../app/ui/screens/attract.py" line="32" />
        <source>Citizen reception kiosk</source>
        <translation>Ki-ốt tiếp nhận hồ sơ công dân</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/attract.py" line="33" />
        <source>Submit your application with your chip ID card: the kiosk fills in what the card already proves.</source>
        <translation>Nộp hồ sơ bằng thẻ căn cước gắn chip: ki-ốt tự điền những thông tin đã có trên thẻ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/attract.py" line="35" />
        <source>Touch here to start</source>
        <translation>Chạm vào đây để bắt đầu</translation>
    </message>
</context>
<context>
    <name>ChooseScreen</name>
    <message>
        <location filename="../../app/ui/screens/choose.py" line="38" />
        <source>What would you like to do?</source>
        <translation>Bạn muốn làm thủ tục gì?</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/choose.py" line="39" />
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../../app/ui/screens/consent.py" line="85" />
        <source>Your consent</source>
        <translation>Đồng ý xử lý dữ liệu cá nhân</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/consent.py" line="88" />
        <source>I have read this and I agree</source>
        <translation>Tôi đã đọc và đồng ý</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/consent.py" line="89" />
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/consent.py" line="90" />
        <source>Agree and submit</source>
        <translation>Đồng ý và nộp hồ sơ</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="84" />
        <source>Are you still there? The kiosk will clear your data in %n second(s). Touch the screen to continue.</source>
        <translation>
            <numerusform>Bạn còn ở đây không? Sau %n giây ki-ốt sẽ xoá thông tin của bạn. Chạm vào màn hình để tiếp tục.</numerusform></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="93" />
        <source>Citizen reception kiosk</source>
        <translation>Ki-ốt tiếp nhận hồ sơ công dân</translation>
    </message>
</context>
<context>
    <name>PresentScreen</name>
    <message>
        <location filename="../../app/ui/screens/present.py" line="84" />
        <source>ID card of: %s</source>
        <translation>Thẻ căn cước của: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="84" />
        <source>ID card</source>
        <translation>Thẻ căn cước</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="91" />
        <source>QR code read</source>
        <translation>Đã đọc mã QR</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="92" />
        <source>Show the QR code on the card to the camera, or type the 12-digit ID number below</source>
        <translation>Đưa mã QR trên thẻ trước camera, hoặc nhập số định danh 12 chữ số ở dưới</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="96" />
        <source>Card on the reader</source>
        <translation>Thẻ đã đặt trên đầu đọc</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="97" />
        <source>Lay the card flat on the reader and leave it there</source>
        <translation>Đặt thẻ nằm phẳng trên đầu đọc và giữ nguyên</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="98" />
        <source>Use this number</source>
        <translation>Dùng số này</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="99" />
        <source>ID number (12 digits)</source>
        <translation>Số định danh (12 chữ số)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="100" />
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="101" />
        <source>This person is not here</source>
        <translation>Người này không có mặt</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/present.py" line="103" />
        <source>Continue without the chip</source>
        <translation>Tiếp tục không đọc chip</translation>
    </message>
</context>
<context>
    <name>ReadingScreen</name>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="59" />
        <source>Opening the chip</source>
        <translation>Mở chip</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="59" />
        <source>Document data</source>
        <translation>Dữ liệu giấy tờ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="60" />
        <source>Personal data</source>
        <translation>Thông tin cá nhân</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="60" />
        <source>Portrait</source>
        <translation>Ảnh chân dung</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="61" />
        <source>Security data</source>
        <translation>Dữ liệu bảo mật</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="61" />
        <source>Checking the data</source>
        <translation>Kiểm tra dữ liệu</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="62" />
        <source>Checking the chip</source>
        <translation>Kiểm tra chip</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="65" />
        <source>Reading your card</source>
        <translation>Đang đọc thẻ của bạn</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="66" />
        <source>Keep the card on the reader until reading is complete.</source>
        <translation>Giữ thẻ trên đầu đọc cho đến khi đọc xong.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="69" />
        <source>Continue</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="109" />
        <source>The data has not been altered</source>
        <translation>Dữ liệu không bị thay đổi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="110" />
        <source>The data on the chip has been altered</source>
        <translation>Dữ liệu trên chip đã bị thay đổi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="111" />
        <source>Signed by the issuing authority</source>
        <translation>Có chữ ký của cơ quan cấp thẻ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="112" />
        <source>The issuer's signature is not valid</source>
        <translation>Chữ ký của cơ quan cấp thẻ không hợp lệ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="113" />
        <source>Issuer certificate trusted</source>
        <translation>Chứng thư của cơ quan cấp thẻ đáng tin cậy</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="114" />
        <source>Issuer certificate not trusted</source>
        <translation>Chứng thư của cơ quan cấp thẻ không đáng tin cậy</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="115" />
        <source>Issuer certificate not checked here</source>
        <translation>Chưa kiểm tra chứng thư của cơ quan cấp thẻ tại đây</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="116" />
        <location filename="../../app/ui/screens/reading.py" line="118" />
        <source>Genuine chip (not a copy)</source>
        <translation>Chip thật (không phải bản sao)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="117" />
        <location filename="../../app/ui/screens/reading.py" line="119" />
        <source>The chip may be a copy</source>
        <translation>Chip có thể là bản sao</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="120" />
        <source>Confirmed by the identity service</source>
        <translation>Đã được hệ thống định danh xác nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/reading.py" line="121" />
        <source>Not confirmed by the identity service</source>
        <translation>Hệ thống định danh không xác nhận</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="79" />
        <source>Your application has been received</source>
        <translation>Hồ sơ của bạn đã được tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="84" />
        <source>Keep this code to follow your application. It goes to: %s</source>
        <translation>Giữ mã này để theo dõi hồ sơ. Hồ sơ được gửi tới: %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="86" />
        <source>Print receipt</source>
        <translation>In giấy biên nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="88" />
        <source>Finish</source>
        <translation>Hoàn tất</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="90" />
        <source>Status: waiting to be sent</source>
        <translation>Trạng thái: đang chờ gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="91" />
        <source>Status: sending</source>
        <translation>Trạng thái: đang gửi</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="92" />
        <source>Status: delivered to the agencies</source>
        <translation>Trạng thái: đã gửi tới cơ quan tiếp nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="93" />
        <source>Status: not accepted, please ask a member of staff</source>
        <translation>Trạng thái: không được tiếp nhận, vui lòng hỏi cán bộ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/receipt.py" line="94" />
        <source>Status: waiting for a member of staff</source>
        <translation>Trạng thái: chờ cán bộ xử lý</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../../app/ui/screens/review.py" line="80" />
        <source>Please correct the fields marked in red.</source>
        <translation>Vui lòng sửa các ô được đánh dấu đỏ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="89" />
        <source>from the chip, verified</source>
        <translation>từ chip, đã xác thực</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="90" />
        <source>from the chip</source>
        <translation>từ chip</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="91" />
        <source>from the QR code, not yet confirmed by the chip</source>
        <translation>từ mã QR, chip chưa xác nhận</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="92" />
        <source>from the QR code (scanner)</source>
        <translation>từ mã QR (máy quét)</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="93" />
        <source>looked up</source>
        <translation>tra cứu</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="94" />
        <source>typed</source>
        <translation>đã nhập</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="94" />
        <source>corrected by staff</source>
        <translation>cán bộ đã sửa</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="98" />
        <source>Check your details</source>
        <translation>Kiểm tra thông tin</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="99" />
        <source>Details from your card are locked. Fill in the remaining fields (marked *), then continue.</source>
        <translation>Thông tin từ thẻ đã được khoá. Hãy điền các ô còn lại (có dấu *), rồi bấm Tiếp tục.</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="101" />
        <source>Cancel</source>
        <translation>Huỷ</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="102" />
        <source>Continue</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <location filename="../../app/ui/screens/review.py" line="105" />
        <source>Add another person</source>
        <translation>Thêm người khác</translation>
    </message>
</context>
</TS>