"""Import errors.

File-level errors stop an import before anything is written; each is a class with a stable ``code``
and a Vietnamese ``message``. Row-level problems are not exceptions: they are ``RowError`` records
(row, column, code, message) collected for the summary; their codes and messages are in ``ROW_MESSAGES``.
"""

from ansinh.core.errors import AnSinhError


class ImportFileError(AnSinhError):
    """The file cannot be imported at all; the database is left untouched."""

    code = "file_error"
    message = "Không đọc được tệp."


class EmptyFile(ImportFileError):
    code = "empty_file"
    message = "Tệp rỗng: không có dữ liệu nào."


class EncryptedFile(ImportFileError):
    code = "encrypted_file"
    message = "Tệp được đặt mật khẩu. Hãy mở tệp bằng Excel, bỏ mật khẩu rồi nhập lại."


class WrongFormat(ImportFileError):
    code = "wrong_format"
    message = "Định dạng tệp không được hỗ trợ. Chỉ nhận bảng tính .xlsx, .xls, .ods hoặc .csv."


class NotSpreadsheet(ImportFileError):
    code = "not_spreadsheet"
    message = "Tệp này không phải là bảng tính (nội dung không đọc được như Excel hay CSV)."


class TooManyRows(ImportFileError):
    """More data rows than ``settings.ANSINH_IMPORT_MAX_ROWS``: the check stops there (memory and time
    stay bounded); the message names the limit."""

    code = "too_many_rows"
    message = "Tệp có quá nhiều dòng."


TOO_MANY_ROWS = ("Tệp có hơn {limit} dòng dữ liệu: mỗi lần chỉ nhận tối đa {limit} dòng. Hãy chia danh sách "
                 "thành nhiều tệp nhỏ hơn rồi nhập từng tệp.")


class CorruptFile(ImportFileError):
    code = "corrupt_file"
    message = "Tệp bảng tính bị hỏng, không đọc được."


class NoHeader(ImportFileError):
    code = "no_header"
    message = ("Không tìm thấy dòng tiêu đề: cần một dòng có tên cột như \"Họ và tên\", \"Ngày sinh\", "
               "\"Giới tính\", \"Xã\" trong 30 dòng đầu của trang tính.")


class MissingColumns(ImportFileError):
    code = "missing_columns"
    message = "Thiếu cột bắt buộc."


class NoData(ImportFileError):
    code = "no_data"
    message = "Tệp có dòng tiêu đề nhưng không có dòng dữ liệu nào."


class TooManyBlankRows(ImportFileError):
    code = "too_many_blank_rows"
    message = "Tệp có quá nhiều dòng trống liên tiếp."


class FormulaErrorCell(ImportFileError):
    code = "formula_error"
    message = "Ô có lỗi công thức."


class CellTooLarge(ImportFileError):
    code = "cell_too_large"
    message = "Ô có nội dung quá dài."


class FileTooLarge(ImportFileError):
    code = "file_too_large"
    message = "Tệp quá lớn."


class UnknownField(ImportFileError):
    code = "unknown_field"
    message = "Tên trường ghép cột không hợp lệ."


class MergeError(AnSinhError):
    code = "merge_error"
    message = "Không gộp được hai hồ sơ này."


class MergeCoverOverlap(MergeError):
    """Both records have cover for the same months: merging would put one person twice on D03-TS/D05-TS."""

    code = "merge_cover_overlap"
    message = "Không gộp được: cả hai hồ sơ đều có kỳ đóng cho cùng những tháng."


class MergeAlreadyDecided(MergeError):
    code = "merge_already_decided"
    message = "Cặp hồ sơ này đã được xử lý (có thể một cán bộ khác vừa gộp hoặc tách)."


# Row-level problems: code -> Vietnamese message template (formatted with the row's details).
ROW_MESSAGES = {
    "required": "Thiếu {label}.",
    "name_invalid": "Họ tên \"{value}\" không hợp lệ (chỉ gồm chữ cái, tối đa 100 ký tự).",
    "date_invalid": "Ngày sinh \"{value}\" không hợp lệ: ghi dd/mm/yyyy, năm yyyy hoặc ngày kiểu Excel.",
    "date_out_of_range": "Ngày sinh \"{value}\" không hợp lý (trước năm 1900 hoặc sau hôm nay).",
    "date_conflict": "Ngày sinh \"{value}\" không khớp với năm sinh \"{other}\".",
    "sex_invalid": "Giới tính \"{value}\" không hợp lệ: ghi Nam hoặc Nữ.",
    "citizen_id_format": "Số CCCD \"{value}\" không hợp lệ: phải đủ 12 chữ số.",
    "citizen_id_province": "Số CCCD \"{value}\": 3 số đầu {other} không phải mã tỉnh nơi đăng ký khai sinh.",
    "citizen_id_sex": "Số CCCD \"{value}\": số thứ tư ({other}) không khớp với giới tính {sex}.",
    "citizen_id_year": "Số CCCD \"{value}\": thế kỷ và năm sinh mã hóa ({other}) không khớp với năm sinh {year}.",
    "si_number_format": "Mã số BHXH \"{value}\" không hợp lệ: phải đủ 10 chữ số.",
    "phone_invalid": "Số điện thoại \"{value}\" không phải số di động 10 số hợp lệ.",
    "commune_unknown": "Không tìm thấy xã/phường/thị trấn \"{value}\" trên bản đồ cũ hay mới.",
    "commune_ambiguous": "Tên xã \"{value}\" trùng ở nhiều nơi ({other}): hãy ghi thêm cột Huyện.",
    "commune_out_of_scope": "Xã \"{value}\" nằm ngoài địa bàn bạn phụ trách.",
    "unit_unknown": "Không tìm thấy {label} \"{value}\" trong xã {other}.",
    "unit_has_leader": "{label} \"{value}\" đã có người đứng đầu ({other}).",
    "role_invalid": "Chức vụ \"{value}\" không rõ là của chi hội hay tổ.",
    "household_unknown": "Mã hộ \"{value}\" chưa có và dòng này không phải chủ hộ: ghi chủ hộ trước các thành viên.",
    "household_has_head": "Hộ \"{value}\" đã có chủ hộ ({other}).",
    "household_other_commune": "Hộ \"{value}\" thuộc xã khác ({other}).",
    "household_moved": "Người này đã thuộc hộ khác ({other}).",
    "relationship_invalid": "Quan hệ với chủ hộ \"{value}\" không rõ.",
    "text_too_long": "{label} quá dài (tối đa {other} ký tự).",
    "bidi_control": "{label} có ký tự điều khiển hướng chữ (U+{other}) không được phép; hãy gõ lại ô này.",
    "duplicate_in_file": "Trùng với dòng {other} trong cùng tệp ({value}).",
    "id_conflict": "{value} đã thuộc về người khác trong hệ thống ({other}).",
    "ambiguous_person": "Có {other} người cùng họ tên, ngày sinh và xã trong hệ thống: hãy ghi số CCCD.",
    "identity_conflict": ("{value} đã có trong sổ với {registry}; dòng này ghi {other}. Không ghi đè: cán bộ xem "
                          "và quyết định ở trang Hồ sơ nghi trùng."),
    "out_of_scope": "Người này đã có trong hệ thống ở địa bàn ngoài phạm vi bạn phụ trách.",
}
