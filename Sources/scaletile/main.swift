print("scaletile")
