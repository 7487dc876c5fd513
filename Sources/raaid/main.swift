print("raaid")
