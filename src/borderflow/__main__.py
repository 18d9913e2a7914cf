from borderflow.cli import main

main()
