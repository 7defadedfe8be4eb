namespace Tierpsy.Krypton.Targets;

/// <summary>Marks a parameter whose value is never printed: help and logs show only whether it is set.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
