print("refkit")
