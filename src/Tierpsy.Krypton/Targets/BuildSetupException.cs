namespace Tierpsy.Krypton.Targets;

/// <summary>A mistake in the build script, the command line or a parameter file; its message says what to do.</summary>
internal sealed class BuildSetupException(string message) : Exception(message);
