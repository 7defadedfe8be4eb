namespace Tierpsy.Krypton.Tierpsy;

/// <summary>The listing failed or printed something that cannot be trusted; the message says why and what to do.</summary>
public sealed class ListingException(string message) : Exception(message);
