"""Chinese for the deputies-at-scale work (helper D): the photo upload page and its errors."""

T = {
    "Photo (JPEG, PNG or WebP)": "照片（JPEG、PNG 或 WebP）",
    "The photo was removed.": "照片已删除。",
    "The photo was saved.": "照片已保存。",
    "The photo is shown on the public profile.": "照片已在公开履职主页上显示。",
    "The photo is not on the public profile: the deputy and the office have not published it.": (
        "照片未在公开履职主页上显示：代表和代表工作机构尚未同意公开。"
    ),
    "Remove the photo": "删除照片",
    "No photo yet.": "尚未上传照片。",
    "Replace the photo": "更换照片",
    "At most %(mb)s MB. The photo is checked, turned upright, scaled to fit %(w)s×%(h)s pixels "
    "and saved as JPEG without its metadata (camera, place, time).": (
        "不超过 %(mb)s MB。照片经校验后自动转正、缩放至 %(w)s×%(h)s 像素以内，"
        "并另存为 JPEG，不保留拍摄设备、地点、时间等元数据。"
    ),
    "choose a photo to upload.": "请选择要上传的照片。",
    "the file is empty.": "文件为空。",
    "the file is larger than %(mb)s MB; a photo of a few hundred KB is enough.": (
        "文件超过 %(mb)s MB；几百 KB 的照片即可。"
    ),
    "the file is larger than %(mb)s MB.": "文件超过 %(mb)s MB。",
    "this file is not a JPEG, PNG or WebP image.": "该文件不是 JPEG、PNG 或 WebP 图片。",
    "the image is too large (more than 40 megapixels).": "图片过大（超过 4000 万像素）。",
    "the image is damaged or incomplete.": "图片已损坏或不完整。",
    "Only the congress's deputy-affairs office sets a deputy's photo.": (
        "只有本级人大代表工作机构可以设置代表照片。"
    ),
    "Only the congress's deputy-affairs office removes a deputy's photo.": (
        "只有本级人大代表工作机构可以删除代表照片。"
    ),
    ("history", "Photo uploaded"): "上传照片",
    ("history", "Photo removed"): "删除照片",
}
