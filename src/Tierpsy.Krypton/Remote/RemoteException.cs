namespace Tierpsy.Krypton.Remote;

/// <summary>The cluster could not be reached or did not answer; the message says what to check. Never contains a secret.</summary>
public sealed class RemoteException(string message, Exception? inner = null) : Exception(message, inner);
