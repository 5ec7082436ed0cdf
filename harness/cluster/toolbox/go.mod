module k8sskills.local/toolbox

go 1.26.0
