from cxotutor.cli import main

main()
