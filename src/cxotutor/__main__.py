from cxotutor.launch import main

main()
