#!version:1.0.0.1
## Boot file written by HotDesk; the line above must stay first.
include:config "hotdesking.cfg"
