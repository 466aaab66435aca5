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
}
"""Support groups (nhóm đối tượng) of VSI and household HI, by their code in the parameter files."""
