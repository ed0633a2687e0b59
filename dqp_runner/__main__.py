from dqp_runner.cli import main

main()
