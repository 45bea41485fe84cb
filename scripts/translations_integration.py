T = {
    ("opinion state", "Received"): "待处理",
}
