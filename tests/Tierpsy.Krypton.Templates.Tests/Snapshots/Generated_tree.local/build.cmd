@echo off
:: Runs the project's build script (build\Build.cs) with the dotnet on PATH: build.cmd --help
setlocal
set "KRYPTON_ROOT=%~dp0."
set "KRYPTON_COMMAND=build.cmd"
set DOTNET_NOLOGO=1
set DOTNET_CLI_TELEMETRY_OPTOUT=1
where dotnet >nul 2>nul || (echo error: dotnet was not found on PATH. Install the .NET 10 SDK from https://dot.net and run build.cmd again. 1>&2 & exit /b 1)
dotnet build "%~dp0build\_build.csproj" -nologo -clp:NoSummary --verbosity quiet /nodeReuse:false || exit /b 1
dotnet run --project "%~dp0build\_build.csproj" --no-build -- %*
