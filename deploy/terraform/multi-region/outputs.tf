output "url" {
  description = "The geo-routed endpoint"
  value       = "https://${var.record_name}/api/v1/detect"
}

output "regional_albs" {
  description = "Each region's load balancer (for direct checks)"
  value = {
    us_east = module.us_east.alb_dns_name
    eu_west = module.eu_west.alb_dns_name
  }
}
