namespace Tierpsy.Krypton.Schedulers;

/// <summary>The scheduler refused or did not understand a request; the message says what to do.</summary>
internal sealed class SchedulerException(string message) : Exception(message);
