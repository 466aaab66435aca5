"""Names of the rules' codes as the pages and messages show them, in Vietnamese."""

GROUP_LABELS_VI = {
    "poor": "Hộ nghèo",
    "near_poor": "Hộ cận nghèo",
    "ethnic_minority": "Người dân tộc thiểu số",
    "island_commune": "Xã đảo, đặc khu",
    "other": "Đối tượng khác",
    "none": "Không hỗ trợ",
    "student": "Học sinh, sinh viên",
    "agri_average": "Hộ nông, lâm, ngư nghiệp có mức sống trung bình",
    "serious_illness": "Mắc bệnh nguy hiểm đến tính mạng",
    "incapacity_81": "Suy giảm khả năng lao động từ 81% trở lên",
}
"""Support groups (nhóm đối tượng) of VSI and household HI, and the cases of a lump-sum claim
(benefits.lump_sum_support_deducted_pct), by their code in the parameter files."""
